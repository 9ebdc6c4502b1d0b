/**
 * The residents domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { normalizePhone, whatsappDigits } from './phone.ts';
export { residentCreateBody } from './schemas.ts';
export { createResident, linkResidentToUnit, newResidentValues, updateResident } from './service.ts';
