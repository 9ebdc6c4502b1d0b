/**
 * The text inside a pass QR code (and a guest slip's check-out QR): a signed, compact token a USB scanner can type.
 *
 *   KL1.<base64url( type:1 | estate uuid:16 | subject uuid:16 | ed25519 signature:64 )>
 *
 * It carries only identities, never validity or names: the server decides the verdict from its own rows, so a
 * renewed or revoked pass changes meaning without reprinting the QR. The signature (the estate's server key) is what
 * makes an invented or edited token recognisable as forged before any lookup.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export const PAYLOAD_PREFIX = 'KL1.';
const DOMAIN = Buffer.from('klustera-gate-token-v1');
const BODY_LENGTH = 1 + 16 + 16;
const SIGNATURE_LENGTH = 64;

export type PayloadSubject = 'pass' | 'visit';
const SUBJECT_BYTE: Record<PayloadSubject, number> = { pass: 1, visit: 2 };

export interface SignedToken {
  subject: PayloadSubject;
  estateId: string;
  subjectId: string;
}

export type DecodedPayload =
  | { ok: true; token: SignedToken; body: Buffer; signature: Buffer }
  /** Carries our prefix but cannot be a token we issued: truncated, padded, unknown type. */
  | { ok: false; reason: 'malformed' }
  /** Not ours at all (a numeric code, another system's QR). */
  | { ok: false; reason: 'not_a_token' };

export interface EstateKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generateEstateKeyPair(): EstateKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

// Parsing PEM costs more than verifying a signature; a scan must not pay it every time.
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function privateKeyOf(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) privateKeys.set(pem, (key = createPrivateKey(pem)));
  return key;
}

function publicKeyOf(pem: string): KeyObject {
  let key = publicKeys.get(pem);
  if (!key) publicKeys.set(pem, (key = createPublicKey(pem)));
  return key;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidToBytes(id: string): Buffer {
  if (!UUID_RE.test(id)) throw new Error(`not a uuid: ${id}`);
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function signedMessage(body: Buffer): Buffer {
  return Buffer.concat([DOMAIN, body]);
}

export function encodeSignedToken(token: SignedToken, privateKeyPem: string): string {
  const body = Buffer.concat([Buffer.from([SUBJECT_BYTE[token.subject]]), uuidToBytes(token.estateId), uuidToBytes(token.subjectId)]);
  const signature = sign(null, signedMessage(body), privateKeyOf(privateKeyPem));
  return PAYLOAD_PREFIX + Buffer.concat([body, signature]).toString('base64url');
}

const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;

/** Reads the identities out of a payload without trusting them; `verifySignedToken` decides whether to. */
export function decodePayload(text: string): DecodedPayload {
  const trimmed = text.trim();
  if (!trimmed.toUpperCase().startsWith(PAYLOAD_PREFIX)) return { ok: false, reason: 'not_a_token' };
  const encoded = trimmed.slice(PAYLOAD_PREFIX.length);
  if (!BASE64URL_RE.test(encoded)) return { ok: false, reason: 'malformed' };
  const bytes = Buffer.from(encoded, 'base64url');
  // Re-encoding catches non-canonical base64 (extra trailing bits) that would otherwise decode to the same bytes.
  if (bytes.length !== BODY_LENGTH + SIGNATURE_LENGTH || bytes.toString('base64url') !== encoded) {
    return { ok: false, reason: 'malformed' };
  }
  const subject = bytes[0] === 1 ? 'pass' : bytes[0] === 2 ? 'visit' : undefined;
  if (!subject) return { ok: false, reason: 'malformed' };
  const body = bytes.subarray(0, BODY_LENGTH);
  return {
    ok: true,
    token: { subject, estateId: bytesToUuid(bytes.subarray(1, 17)), subjectId: bytesToUuid(bytes.subarray(17, 33)) },
    body,
    signature: bytes.subarray(BODY_LENGTH),
  };
}

// A pass is shown at the gate again and again; the same bytes under the same key verify the same way every time.
const verified = new Map<string, true>();
const VERIFIED_CACHE_SIZE = 20_000;

/**
 * Whether the estate's key signed this token. With the private key at hand (the gate holds it to print slips) a
 * token is first compared with the signature this server would make itself: Ed25519 signatures are deterministic, so
 * every token it issued carries exactly that one, and signing costs a third of verifying. Anything else is verified
 * as before, so the answer is the same either way.
 */
export function verifySignedToken(decoded: Extract<DecodedPayload, { ok: true }>, publicKeyPem: string, privateKeyPem?: string): boolean {
  const cacheKey = `${publicKeyPem}\n${decoded.body.toString('base64')}${decoded.signature.toString('base64')}`;
  if (verified.has(cacheKey)) return true;
  const message = signedMessage(decoded.body);
  const ours = privateKeyPem ? sign(null, message, privateKeyOf(privateKeyPem)) : undefined;
  const ok =
    (ours !== undefined && ours.length === decoded.signature.length && timingSafeEqual(ours, decoded.signature)) ||
    verify(null, message, publicKeyOf(publicKeyPem), decoded.signature);
  if (ok) {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, true);
  }
  return ok;
}
