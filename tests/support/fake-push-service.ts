import { createDecipheriv, createECDH, createHmac, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A push service on 127.0.0.1 that does what a browser's push service does with a push (RFC 8030): it accepts a POST
 * to a subscription's endpoint only with a valid VAPID authorization (RFC 8292: an ES256 JWT for this origin, signed
 * by the key in `k`), and, standing in for the browser, decrypts the aes128gcm payload (RFC 8188/8291) with the
 * subscription's private key. The subscription's keys are made here with node:crypto (ECDH P-256), as a browser
 * makes them.
 */
export interface ReceivedPush {
  subscription: string;
  payload: unknown;
  /** The VAPID public key the push was signed with (base64url). */
  vapidKey: string;
  sub: string;
  ttl: number;
  urgency: string | null;
}

interface FakeSubscription {
  id: string;
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
  /** What the next pushes are answered with; empty: 201. */
  answers: number[];
}

export interface FakePushService {
  origin: string;
  received: ReceivedPush[];
  /** Requests refused (bad signature, undecryptable payload), with why. */
  refused: string[];
  subscription(): { id: string; endpoint: string; keys: { p256dh: string; auth: string } };
  /** The next pushes to `id` are answered with these statuses, in order (404/410: the browser unsubscribed). */
  answerWith(id: string, ...statuses: number[]): void;
  close(): Promise<void>;
}

function hkdfExpand(prk: Buffer, info: Buffer, length: number): Buffer {
  return createHmac('sha256', prk)
    .update(Buffer.concat([info, Buffer.from([1])]))
    .digest()
    .subarray(0, length);
}

function verifyVapid(header: string | undefined, origin: string): { key: string; sub: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`no vapid authorization: ${header}`);
  const [, jwt, k] = m;
  const [h, p, s] = jwt.split('.');
  const head = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (head.alg !== 'ES256') throw new Error(`alg ${head.alg}`);
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33).toString('base64url'),
  };
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: jwk, format: 'jwk', dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('vapid signature does not verify');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) throw new Error(`exp ${claims.exp}`);
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
  return { key: k, sub: claims.sub };
}

function decrypt(body: Buffer, sub: FakeSubscription): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (record.length > rs) throw new Error('more than one record');
  const uaPublic = sub.ecdh.getPublicKey();
  const ecdhSecret = sub.ecdh.computeSecret(senderKey);
  const prkKey = createHmac('sha256', sub.auth).update(ecdhSecret).digest();
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, senderKey]);
  const ikm = hkdfExpand(prkKey, keyInfo, 32);
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const cek = hkdfExpand(prk, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdfExpand(prk, Buffer.from('Content-Encoding: nonce\0'), 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

export async function startFakePushService(): Promise<FakePushService> {
  const subs = new Map<string, FakeSubscription>();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  let origin = '';
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
      const sub = id ? subs.get(id) : undefined;
      if (req.method !== 'POST' || !sub) {
        res.writeHead(404).end();
        return;
      }
      const status = sub.answers.shift();
      if (status && (status < 200 || status > 299)) {
        res.writeHead(status).end('refused by the test');
        return;
      }
      try {
        const vapid = verifyVapid(req.headers.authorization, origin);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        const ttl = Number(req.headers.ttl);
        if (!Number.isInteger(ttl) || ttl < 0) throw new Error(`ttl ${req.headers.ttl}`);
        const payload = JSON.parse(decrypt(Buffer.concat(chunks), sub).toString('utf8'));
        received.push({
          subscription: sub.id,
          payload,
          vapidKey: vapid.key,
          sub: vapid.sub,
          ttl,
          urgency: (req.headers.urgency as string) ?? null,
        });
        res.writeHead(201, { Location: `${origin}/message/${received.length}` }).end();
      } catch (err) {
        refused.push((err as Error).message);
        res.writeHead(400).end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    refused,
    subscription() {
      const id = `sub-${++n}-${randomBytes(4).toString('hex')}`;
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subs.set(id, { id, ecdh, auth, answers: [] });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    answerWith(id, ...statuses) {
      subs.get(id)!.answers.push(...statuses);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
