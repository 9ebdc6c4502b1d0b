/** Secrets kept encrypted at rest: the key and the seal/open pair. */
export { openSecret, sealSecret, secretsKey } from './secret-box.ts';
export { sameSecret } from './same-secret.ts';
