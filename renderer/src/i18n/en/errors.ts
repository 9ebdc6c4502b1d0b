import type { Translation } from '../messages.ts';
import type source from '../id/errors.ts';

export default {
  UNKNOWN: 'Something went wrong. Please try again.',
  NETWORK_ERROR: 'Cannot reach the server. Check the network.',
  BAD_RESPONSE: 'The server sent an answer that cannot be read.',
  VALIDATION_FAILED: 'This value is not valid.',
  INVALID_JSON: 'The request is not valid.',
  UNAUTHENTICATED: 'Please sign in first.',
  INVALID_CREDENTIALS: 'Wrong email/phone or password.',
  FORBIDDEN: 'You do not have permission to do this.',
  CSRF_FAILED: 'Your session expired. Reload the page and try again.',
  NOT_FOUND: 'Not found.',
  CONFLICT: 'This record changed or conflicts with another one.',
  DUPLICATE: 'A record with the same value already exists.',
  SETUP_ALREADY_DONE: 'Klustera is already set up. Please sign in.',
  PAYLOAD_TOO_LARGE: 'The file is too large.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
  ACCOUNT_LOCKED: 'The account is locked for a while after too many failed attempts. Try again later.',
  INVITE_INVALID: 'This invite is not valid or was already used.',
  UNSUPPORTED_FILE: 'Unsupported file type. Use .xlsx or .csv.',
  PASSWORD_MISMATCH: 'The two passwords differ.',
} satisfies Translation<typeof source>;
