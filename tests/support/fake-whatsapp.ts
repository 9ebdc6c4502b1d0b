// Stand-ins on 127.0.0.1 for the WhatsApp gateways an estate may use, in their documented shapes:
// - Fonnte-style: `POST /send`, the token as the `Authorization` header, form fields `target` and `message`; answers
//   `{status: true, id: [...], target: [...]}` or `{status: false, reason}`.
// - WAHA: `POST /api/sendText`, `X-Api-Key`, JSON `{session, chatId: "<number>@c.us", text}`; answers the message
//   with its `id`.
// `failNext(n)` makes the next n sends answer 500, to exercise retries.
// WAHA's webhook: `postAck` posts a `message.ack` event (`{id, timestamp, session, event, payload: {id, ack, ackName}}`)
// signed as WAHA does with an HMAC key: `X-Webhook-Hmac` (hex HMAC-SHA512 of the body), `X-Webhook-Hmac-Algorithm`.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWhatsappSend {
  at: number;
  number: string;
  text: string;
  headers: http.IncomingHttpHeaders;
  session?: string;
}

export interface FakeWhatsapp {
  url: string;
  sent: FakeWhatsappSend[];
  failNext(n: number): void;
  postAck(webhookUrl: string, hmacKey: string, messageId: string, ack: WahaAck): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const WAHA_ACKS = { ERROR: -1, PENDING: 0, SERVER: 1, DEVICE: 2, READ: 3, PLAYED: 4 } as const;
export type WahaAck = keyof typeof WAHA_ACKS;

export function wahaAckBody(messageId: string, ack: WahaAck, session = 'default'): string {
  return JSON.stringify({
    id: `evt_${messageId.slice(-8)}_${ack}`,
    timestamp: Date.now(),
    session,
    engine: 'WEBJS',
    event: 'message.ack',
    payload: { id: messageId, from: messageId.split('_')[1] ?? '', fromMe: true, ack: WAHA_ACKS[ack], ackName: ack },
  });
}

export const wahaSignature = (hmacKey: string, body: string) => createHmac('sha512', hmacKey).update(body).digest('hex');

async function body(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeWhatsapp(kind: 'fonnte' | 'waha', token: string): Promise<FakeWhatsapp> {
  const sent: FakeWhatsappSend[] = [];
  let failing = 0;
  let next = 1;
  const server = http.createServer(async (req, res) => {
    const raw = await body(req);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (kind === 'fonnte' && req.method === 'POST' && req.url === '/send') {
      if (req.headers.authorization !== token) return json(200, { status: false, reason: 'invalid token' });
      if (failing > 0) {
        failing--;
        return json(500, { status: false, reason: 'device disconnected' });
      }
      const form = new URLSearchParams(raw);
      const number = form.get('target') ?? '';
      if (!number) return json(200, { status: false, reason: 'target invalid' });
      const id = next++;
      sent.push({ at: Date.now(), number, text: form.get('message') ?? '', headers: req.headers });
      return json(200, { detail: 'success! message in queue', id: [String(id)], process: 'pending', status: true, target: [number] });
    }
    if (kind === 'waha' && req.method === 'POST' && req.url === '/api/sendText') {
      if (req.headers['x-api-key'] !== token) return json(401, { message: 'Unauthorized', statusCode: 401 });
      if (failing > 0) {
        failing--;
        return json(500, { message: 'session not ready' });
      }
      const b = JSON.parse(raw) as { session?: string; chatId?: string; text?: string };
      if (!b.chatId?.endsWith('@c.us') || !b.text) return json(422, { message: 'chatId and text are required' });
      const number = b.chatId.slice(0, -'@c.us'.length);
      const id = `true_${b.chatId}_${String(next++).padStart(8, '0')}`;
      sent.push({ at: Date.now(), number, text: b.text, headers: req.headers, session: b.session });
      return json(201, { id: { fromMe: true, remote: b.chatId, id: id.split('_')[2], _serialized: id }, body: b.text });
    }
    json(404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    failNext(n) {
      failing = n;
    },
    async postAck(webhookUrl, hmacKey, messageId, ack) {
      const body = wahaAckBody(messageId, ack);
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-webhook-hmac': wahaSignature(hmacKey, body),
          'x-webhook-hmac-algorithm': 'sha512',
        },
        body,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
