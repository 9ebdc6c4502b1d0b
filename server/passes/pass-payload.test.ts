import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePayload, encodeSignedToken, generateEstateKeyPair, PAYLOAD_PREFIX, verifySignedToken } from './pass-payload.ts';

const keys = generateEstateKeyPair();
const otherKeys = generateEstateKeyPair();
const estateId = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const passId = '0195a1b2-c3d4-7e5f-8a9b-aaaaaaaaaaaa';

function decodeOk(text: string) {
  const decoded = decodePayload(text);
  if (!decoded.ok) throw new Error(`expected a token, got ${decoded.reason}`);
  return decoded;
}

describe('signed gate tokens', () => {
  it('round-trips estate, subject and id and verifies with the estate key only', () => {
    const text = encodeSignedToken({ subject: 'pass', estateId, subjectId: passId }, keys.privateKeyPem);
    expect(text.startsWith(PAYLOAD_PREFIX)).toBe(true);
    expect(text).toMatch(/^KL1\.[A-Za-z0-9_-]+$/);
    const decoded = decodeOk(text);
    expect(decoded.token).toEqual({ subject: 'pass', estateId, subjectId: passId });
    expect(verifySignedToken(decoded, keys.publicKeyPem)).toBe(true);
    expect(verifySignedToken(decoded, otherKeys.publicKeyPem)).toBe(false);
  });

  it('keeps visits and passes apart', () => {
    const text = encodeSignedToken({ subject: 'visit', estateId, subjectId: passId }, keys.privateKeyPem);
    expect(decodeOk(text).token.subject).toBe('visit');
  });

  it('rejects every single-character edit of a valid payload', () => {
    const text = encodeSignedToken({ subject: 'pass', estateId, subjectId: passId }, keys.privateKeyPem);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: PAYLOAD_PREFIX.length, max: text.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(text[at] !== ch);
        const edited = text.slice(0, at) + ch + text.slice(at + 1);
        const decoded = decodePayload(edited);
        return !decoded.ok || !verifySignedToken(decoded, keys.publicKeyPem);
      }),
      { numRuns: 500 },
    );
  });

  it('answers the same with the private key at hand as verification does: own tokens yes, edits and other keys no', () => {
    // Fresh subjects each run: a token already verified is answered from the cache without either check.
    const subjectId = (n: number) => `0195a1b2-c3d4-7e5f-8a9b-${n.toString(16).padStart(12, '0')}`;
    const ownText = encodeSignedToken({ subject: 'pass', estateId, subjectId: subjectId(1) }, keys.privateKeyPem);
    expect(verifySignedToken(decodeOk(ownText), keys.publicKeyPem, keys.privateKeyPem)).toBe(true);
    const foreign = encodeSignedToken({ subject: 'pass', estateId, subjectId: subjectId(2) }, otherKeys.privateKeyPem);
    expect(verifySignedToken(decodeOk(foreign), keys.publicKeyPem, keys.privateKeyPem)).toBe(false);
    // A private key that is not the pair of the public one cannot make a valid token look forged.
    const valid = encodeSignedToken({ subject: 'pass', estateId, subjectId: subjectId(3) }, keys.privateKeyPem);
    expect(verifySignedToken(decodeOk(valid), keys.publicKeyPem, otherKeys.privateKeyPem)).toBe(true);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let n = 100;
    fc.assert(
      fc.property(fc.integer({ min: PAYLOAD_PREFIX.length, max: ownText.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
        const text = encodeSignedToken({ subject: 'pass', estateId, subjectId: subjectId(n++) }, keys.privateKeyPem);
        fc.pre(text[at] !== ch);
        const decoded = decodePayload(text.slice(0, at) + ch + text.slice(at + 1));
        return !decoded.ok || !verifySignedToken(decoded, keys.publicKeyPem, keys.privateKeyPem);
      }),
      { numRuns: 300 },
    );
  });

  it('tells malformed tokens from things that are not tokens', () => {
    expect(decodePayload('123456')).toEqual({ ok: false, reason: 'not_a_token' });
    expect(decodePayload('https://example.com')).toEqual({ ok: false, reason: 'not_a_token' });
    expect(decodePayload('KL1.')).toEqual({ ok: false, reason: 'malformed' });
    expect(decodePayload('KL1.abc$')).toEqual({ ok: false, reason: 'malformed' });
    const text = encodeSignedToken({ subject: 'pass', estateId, subjectId: passId }, keys.privateKeyPem);
    expect(decodePayload(text.slice(0, -4))).toEqual({ ok: false, reason: 'malformed' });
    expect(decodePayload(text + 'AA')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts the prefix in any case because some scanners type with caps lock semantics', () => {
    const text = encodeSignedToken({ subject: 'pass', estateId, subjectId: passId }, keys.privateKeyPem);
    const decoded = decodeOk('kl1.' + text.slice(4));
    expect(verifySignedToken(decoded, keys.publicKeyPem)).toBe(true);
  });
});
