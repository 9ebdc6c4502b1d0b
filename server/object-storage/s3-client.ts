import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import aws4 from 'aws4';

/**
 * The few S3 calls backups and uploaded files need (PUT, HEAD, GET, DELETE of one object), signed with AWS Signature V4 by `aws4`
 * and sent with Node's own http(s). The official SDK brings ~100 packages and tens of megabytes into the desktop's
 * node_modules for these four requests, and over plain http (a MinIO on the office LAN) it cannot sign a streamed
 * file; here the file's SHA-256 is signed and its MD5 sent, so the bucket refuses a body that arrived damaged.
 *
 * Works with AWS S3, MinIO, Cloudflare R2, Backblaze B2, Wasabi and other S3-compatible services: path-style
 * (`https://host/bucket/key`) or virtual-hosted (`https://bucket.host/key`) addressing.
 */
export interface S3Target {
  /** `https://s3.example.com` or `http://192.168.1.10:9000`: scheme, host and port only. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  pathStyle: boolean;
}

/** A refused or failed request: `status` null when no answer came (`code` is then the network error's). */
export class S3RequestError extends Error {
  constructor(
    readonly status: number | null,
    readonly code: string,
  ) {
    super(status === null ? `S3: ${code}` : `S3: HTTP ${status} ${code}`);
  }
}

const TIMEOUT_MS = 60_000;

/** RFC 3986 encoding of each path segment, as SigV4 expects. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Host, port and path of an object (or of the bucket when `key` is empty) in the target's addressing style. */
export function objectLocation(
  target: S3Target,
  key: string,
): { protocol: 'http:' | 'https:'; hostname: string; port: number | undefined; path: string } {
  const url = new URL(target.endpoint);
  const protocol = url.protocol === 'http:' ? 'http:' : 'https:';
  const port = url.port ? Number(url.port) : undefined;
  if (target.pathStyle) return { protocol, hostname: url.hostname, port, path: `/${target.bucket}/${encodeKey(key)}` };
  return { protocol, hostname: `${target.bucket}.${url.hostname}`, port, path: `/${encodeKey(key)}` };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  response: http.IncomingMessage;
}

function request(
  target: S3Target,
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE',
  key: string,
  headers: Record<string, string | number>,
  body?: () => NodeJS.ReadableStream,
): Promise<Answer> {
  const where = objectLocation(target, key);
  const signed = aws4.sign(
    {
      service: 's3',
      region: target.region,
      method,
      hostname: where.hostname,
      port: where.port,
      path: where.path,
      headers: { ...headers },
    },
    { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  );
  const transport = where.protocol === 'http:' ? http : https;
  return new Promise<Answer>((resolve, reject) => {
    const req = transport.request(
      {
        protocol: where.protocol,
        hostname: where.hostname,
        port: where.port,
        path: where.path,
        method,
        headers: signed.headers as http.OutgoingHttpHeaders,
        timeout: TIMEOUT_MS,
      },
      (response) => resolve({ status: response.statusCode ?? 0, headers: response.headers, response }),
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.once('error', (err: NodeJS.ErrnoException) => reject(new S3RequestError(null, err.code ?? 'NETWORK')));
    if (body) {
      const source = body();
      source.once('error', (err) => req.destroy(err as Error));
      source.pipe(req);
    } else req.end();
  });
}

async function drain(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    // An error document is small; anything past this is not one worth reading.
    if (size < 64 * 1024) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Turns a non-2xx answer into an S3RequestError with the service's own error code (`NoSuchBucket`, `AccessDenied`…). */
async function refused(answer: Answer): Promise<never> {
  const text = await drain(answer.response);
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? (answer.status === 404 ? 'NotFound' : 'Error');
  throw new S3RequestError(answer.status, code);
}

function fileDigests(file: string): Promise<{ sha256: string; md5: string; bytes: number }> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let bytes = 0;
  return new Promise((resolve, reject) => {
    fs.createReadStream(file)
      .on('data', (chunk) => {
        sha256.update(chunk);
        md5.update(chunk);
        bytes += chunk.length;
      })
      .once('error', reject)
      .once('end', () => resolve({ sha256: sha256.digest('hex'), md5: md5.digest('base64'), bytes }));
  });
}

const unquote = (etag: string | string[] | undefined) => (typeof etag === 'string' ? etag.replace(/^"|"$/g, '') : null);

/** Uploads a file as one object; its SHA-256 is signed and its MD5 checked by the bucket. */
export async function putObjectFile(target: S3Target, key: string, file: string): Promise<{ bytes: number; etag: string | null }> {
  const digest = await fileDigests(file);
  const answer = await request(
    target,
    'PUT',
    key,
    {
      'Content-Type': 'application/octet-stream',
      'Content-Length': digest.bytes,
      'Content-MD5': digest.md5,
      'X-Amz-Content-Sha256': digest.sha256,
    },
    () => fs.createReadStream(file),
  );
  if (answer.status < 200 || answer.status > 299) return refused(answer);
  await drain(answer.response);
  return { bytes: digest.bytes, etag: unquote(answer.headers.etag) };
}

/** Uploads a small object held in memory. */
export async function putObject(target: S3Target, key: string, body: Buffer): Promise<void> {
  const answer = await request(
    target,
    'PUT',
    key,
    {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
      'Content-MD5': createHash('md5').update(body).digest('base64'),
      'X-Amz-Content-Sha256': createHash('sha256').update(body).digest('hex'),
    },
    () => Readable.from([body]),
  );
  if (answer.status < 200 || answer.status > 299) return refused(answer);
  await drain(answer.response);
}

/** Size and ETag of an object, or null when there is none. */
export async function headObject(target: S3Target, key: string): Promise<{ bytes: number; etag: string | null } | null> {
  const answer = await request(target, 'HEAD', key, {});
  await drain(answer.response);
  if (answer.status === 404) return null;
  if (answer.status < 200 || answer.status > 299) throw new S3RequestError(answer.status, answer.status === 403 ? 'AccessDenied' : 'Error');
  return { bytes: Number(answer.headers['content-length'] ?? Number.NaN), etag: unquote(answer.headers.etag) };
}

/**
 * An object small enough to hold in memory (an uploaded proof), or null when there is none. Past `maxBytes` the
 * download stops: an object that large is not one this server wrote.
 */
export async function getObject(target: S3Target, key: string, maxBytes: number): Promise<Buffer | null> {
  const answer = await request(target, 'GET', key, {});
  if (answer.status === 404) {
    await drain(answer.response);
    return null;
  }
  if (answer.status < 200 || answer.status > 299) return refused(answer);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.response) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      answer.response.destroy();
      throw new S3RequestError(answer.status, 'ObjectTooLarge');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Downloads an object to a file (created owner-only). */
export async function getObjectToFile(target: S3Target, key: string, file: string): Promise<void> {
  const answer = await request(target, 'GET', key, {});
  if (answer.status < 200 || answer.status > 299) return refused(answer);
  await pipeline(answer.response, fs.createWriteStream(file, { mode: 0o600 }));
}

/** Removes an object; one that is already gone is not an error. */
export async function deleteObject(target: S3Target, key: string): Promise<void> {
  const answer = await request(target, 'DELETE', key, {});
  if (answer.status === 404 || (answer.status >= 200 && answer.status <= 299)) {
    await drain(answer.response);
    return;
  }
  return refused(answer);
}
