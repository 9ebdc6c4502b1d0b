/**
 * The guard post domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { AttemptLimiter } from './attempt-limiter.ts';
