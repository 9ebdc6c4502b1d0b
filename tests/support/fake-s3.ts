import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An S3-compatible server on 127.0.0.1 for tests, speaking the documented REST wire format for the calls backups make
 * (PUT, HEAD, GET and DELETE of an object, and ListObjectsV2), path-style, with one access key. Every request's AWS
 * Signature V4 is recomputed here from the request as received (canonical request, string to sign, derived key),
 * independently of the client's signer; the signed payload hash and any Content-MD5 are checked against the body.
 * Errors are S3's XML documents (`InvalidAccessKeyId`, `SignatureDoesNotMatch`, `NoSuchBucket`, `NoSuchKey`,
 * `BadDigest`, `XAmzContentSHA256Mismatch`).
 */
export interface FakeS3 {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** bucket → key → object */
  buckets: Map<string, Map<string, { body: Buffer; etag: string; lastModified: Date }>>;
  /** Every request's method, path and the headers it came with. */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; status: number }>;
  /** The next `count` requests answer `status` (500: a bucket having a bad minute). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export async function startFakeS3(
  opts: { accessKeyId?: string; secretAccessKey?: string; region?: string; buckets?: string[] } = {},
): Promise<FakeS3> {
  const accessKeyId = opts.accessKeyId ?? 'AKIAKLUSTERATEST0001';
  const secretAccessKey = opts.secretAccessKey ?? 'fake/S3+secret-key-of-the-estate-office';
  const region = opts.region ?? 'ap-southeast-3';
  const buckets: FakeS3['buckets'] = new Map((opts.buckets ?? ['klustera-backups']).map((b) => [b, new Map()]));
  const requests: FakeS3['requests'] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };

  /** null when the signature holds, else the S3 error code. */
  function checkSignature(req: http.IncomingMessage, body: Buffer): string | null {
    const auth = req.headers.authorization ?? '';
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return 'AccessDenied';
    const [, keyId, date, scopeRegion, signedHeaders, signature] = m;
    if (keyId !== accessKeyId) return 'InvalidAccessKeyId';
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(date) || scopeRegion !== region) return 'SignatureDoesNotMatch';
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-content-sha256')) return 'AccessDenied';
    const payloadHash = String(req.headers['x-amz-content-sha256']);
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'XAmzContentSHA256Mismatch';
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?');
    const query = [...new URLSearchParams(rawQuery)]
      .map(([k, v]) => [rfc3986(k), rfc3986(v)])
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalHeaders = names
      .map(
        (n) =>
          `${n}:${String(req.headers[n] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join('');
    const canonical = [req.method, rawPath, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), 's3'), 'aws4_request');
    return hmac(key, toSign).toString('hex') === signature ? null : 'SignatureDoesNotMatch';
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const answer = (status: number, text = '', headers: Record<string, string | number> = {}) => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, status });
        res.writeHead(status, { 'content-type': text ? 'application/xml' : 'text/plain', ...headers });
        res.end(req.method === 'HEAD' ? undefined : text);
      };
      if (failures.count > 0) {
        failures.count--;
        return answer(failures.status, xmlError('InternalError', 'We encountered an internal error. Please try again.'));
      }
      const refused = checkSignature(req, body);
      if (refused) return answer(403, xmlError(refused, 'The request signature we calculated does not match the signature you provided.'));
      const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?');
      const [, bucketName, ...keyParts] = rawPath.split('/');
      const key = keyParts.map(decodeURIComponent).join('/');
      const bucket = buckets.get(bucketName);
      if (!bucket) return answer(404, xmlError('NoSuchBucket', 'The specified bucket does not exist'));
      if (!key && req.method === 'GET') {
        const params = new URLSearchParams(rawQuery);
        if (params.get('list-type') !== '2') return answer(400, xmlError('InvalidArgument', 'only ListObjectsV2'));
        const prefix = params.get('prefix') ?? '';
        const contents = [...bucket.entries()]
          .filter(([k]) => k.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(
            ([k, o]) =>
              `<Contents><Key>${k}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>"${o.etag}"</ETag><Size>${o.body.length}</Size></Contents>`,
          );
        return answer(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>${bucketName}</Name><Prefix>${prefix}</Prefix><KeyCount>${contents.length}</KeyCount><IsTruncated>false</IsTruncated>${contents.join('')}</ListBucketResult>`,
        );
      }
      const object = bucket.get(key);
      switch (req.method) {
        case 'PUT': {
          const md5 = createHash('md5').update(body);
          const given = req.headers['content-md5'];
          if (given && given !== md5.copy().digest('base64'))
            return answer(400, xmlError('BadDigest', 'The Content-MD5 you specified did not match what we received.'));
          const etag = md5.digest('hex');
          bucket.set(key, { body, etag, lastModified: new Date() });
          return answer(200, '', { etag: `"${etag}"` });
        }
        case 'HEAD':
          if (!object) return answer(404);
          return answer(200, '', { etag: `"${object.etag}"`, 'content-length': object.body.length });
        case 'GET':
          if (!object) return answer(404, xmlError('NoSuchKey', 'The specified key does not exist.'));
          requests.push({ method: 'GET', url: req.url ?? '', headers: req.headers, status: 200 });
          res.writeHead(200, {
            etag: `"${object.etag}"`,
            'content-length': object.body.length,
            'content-type': 'application/octet-stream',
          });
          return res.end(object.body);
        case 'DELETE':
          bucket.delete(key);
          return answer(204);
        default:
          return answer(405, xmlError('MethodNotAllowed', 'The specified method is not allowed against this resource.'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    region,
    buckets,
    requests,
    failNext(count, status = 500) {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
