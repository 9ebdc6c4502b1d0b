/**
 * The users domain's public face for other domains: adding a person to an estate (a new estate's first
 * administrator is added the way an estate admin adds anyone).
 */
export { createEstateUser } from './service.ts';
