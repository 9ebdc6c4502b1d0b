/**
 * The estates domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { liveEstate } from './estate-cache.ts';
export { insertEstate, insertMembership } from './service.ts';
export { assertEstateActive, setEstateSuspended } from './suspension.ts';
