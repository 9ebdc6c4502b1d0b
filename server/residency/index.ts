/** Residency's public face: where a resident lives today, and which unit a request may act for. */
export { livesIn, residencesOf, type Residence } from './occupancy.ts';
export { residenceOfRequest, residencesOfRequest, residentIdOf } from './request.ts';
