// Stand-in on 127.0.0.1 for Meta's WhatsApp Cloud API, in its documented shapes, and strict about them:
// `POST /v21.0/<phone_number_id>/messages` (the base URL answered includes the version) with `Authorization: Bearer <token>` and JSON
// `{messaging_product: 'whatsapp', to, type: 'template', template: {name, language: {code}, components}}`;
// answers `{messaging_product, contacts: [{input, wa_id}], messages: [{id: 'wamid.…'}]}`, or an error as
// `{error: {message, type, code, error_subcode, fbtrace_id}}` (401 code 190 for a bad token, 400 code 100 for a bad
// body, 404 for another number id). `failNext(n, status)` makes the next n sends answer that status (500, or 429 with
// code 130429) to exercise retries.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCloudSend {
  to: string;
  template: { name: string; language: { code: string }; components?: { type: string; parameters: { type: string; text: string }[] }[] };
  id: string;
}

export interface FakeWhatsappCloud {
  url: string;
  sent: FakeCloudSend[];
  /** Every request that reached the server, answered or refused. */
  requests: number;
  failNext(n: number, status?: 500 | 429): void;
  /**
   * Meta's status callback as its webhook sends it: `{object: 'whatsapp_business_account', entry: [{id, changes:
   * [{field: 'messages', value: {messaging_product, metadata, statuses}}]}]}`, signed `X-Hub-Signature-256:
   * sha256=<HMAC-SHA256 of the body with the app secret>`. Answers the receiver's status and body.
   */
  postStatuses(webhookUrl: string, appSecret: string, statuses: CloudStatus[]): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface CloudStatus {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipient_id?: string;
  errors?: { code: number; title: string; message?: string; error_data?: { details: string } }[];
}

/** The body Meta posts for these statuses, as bytes (what the signature covers). */
export function cloudStatusBody(phoneNumberId: string, statuses: CloudStatus[]): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281100000000', phone_number_id: phoneNumberId },
              statuses: statuses.map((s) => ({
                id: s.id,
                status: s.status,
                timestamp,
                recipient_id: s.recipient_id ?? '6281200000000',
                ...(s.status === 'failed' ? { errors: s.errors ?? [] } : { pricing: { billable: true, category: 'utility' } }),
              })),
            },
          },
        ],
      },
    ],
  });
}

export const cloudSignature = (appSecret: string, body: string) => `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with a template send body, in Meta's words, or null. */
function invalid(b: unknown): string | null {
  if (!isObject(b)) return 'Unexpected body';
  if (b.messaging_product !== 'whatsapp') return '(#100) The parameter messaging_product is required.';
  if (typeof b.to !== 'string' || !/^\d{8,15}$/.test(b.to)) return '(#100) Invalid parameter: to';
  if (b.type !== 'template') return '(#100) Param type must be template';
  const t = b.template;
  if (!isObject(t) || typeof t.name !== 'string' || !t.name) return '(#100) The parameter template[name] is required.';
  if (!isObject(t.language) || typeof t.language.code !== 'string') return '(#100) The parameter template[language][code] is required.';
  if (t.components !== undefined) {
    if (!Array.isArray(t.components)) return '(#100) Param template[components] must be an array.';
    for (const c of t.components) {
      if (!isObject(c) || c.type !== 'body' || !Array.isArray(c.parameters)) return '(#100) Invalid parameter: components';
      for (const p of c.parameters) {
        if (!isObject(p) || p.type !== 'text' || typeof p.text !== 'string' || !p.text) {
          return '(#131008) Required parameter is missing';
        }
        if (/[\n\t]| {5,}/.test(p.text))
          return '(#132018) Param text cannot have new-line/tab characters or more than 4 consecutive spaces';
      }
    }
  }
  return null;
}

export async function startFakeWhatsappCloud(phoneNumberId: string, token: string): Promise<FakeWhatsappCloud> {
  const sent: FakeCloudSend[] = [];
  let failing = 0;
  let failStatus: 500 | 429 = 500;
  let next = 1;
  const state = { requests: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    state.requests++;
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const error = (status: number, message: string, type: string, code: number, subcode?: number) =>
      json(status, { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: `Atrace${next}` } });
    const match = req.method === 'POST' ? /^\/v21\.0\/([^/]+)\/messages$/.exec(req.url ?? '') : null;
    if (!match) return error(404, 'Unknown path components', 'OAuthException', 2500);
    if (req.headers.authorization !== `Bearer ${token}`) {
      return error(401, 'Error validating access token: The session has been invalidated.', 'OAuthException', 190, 460);
    }
    if (match[1] !== phoneNumberId)
      return error(400, `Unsupported post request. Object with ID '${match[1]}' does not exist`, 'GraphMethodException', 100, 33);
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return error(400, '(#100) Invalid content type', 'OAuthException', 100);
    let b: unknown;
    try {
      b = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return error(400, '(#100) Invalid JSON', 'OAuthException', 100);
    }
    const wrong = invalid(b);
    if (wrong) return error(400, wrong, 'OAuthException', 100, 2494010);
    if (failing > 0) {
      failing--;
      return failStatus === 429
        ? error(429, '(#130429) Rate limit hit', 'OAuthException', 130429)
        : error(500, 'An unknown error has occurred.', 'OAuthException', 1);
    }
    const body = b as { to: string; template: FakeCloudSend['template'] };
    const id = `wamid.HBgN${String(next++).padStart(10, '0')}`;
    sent.push({ to: body.to, template: body.template, id });
    return json(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    sent,
    get requests() {
      return state.requests;
    },
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    async postStatuses(webhookUrl, appSecret, statuses) {
      const body = cloudStatusBody(phoneNumberId, statuses);
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': cloudSignature(appSecret, body) },
        body,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
