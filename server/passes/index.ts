/**
 * The passes domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { seesPassCredentials } from './pass-audience.ts';
export { looksLikePassCode } from './pass-codes.ts';
export { decodePayload, encodeSignedToken, type SignedToken, verifySignedToken } from './pass-payload.ts';
export { type Direction, passRejection, type RejectionReason } from './pass-verdict.ts';
export { type EstateInfo, keepResidentPassCurrent, type PassRow } from './service.ts';
export { estateKeys } from './signing-keys.ts';
