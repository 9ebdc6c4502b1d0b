import nodemailer from 'nodemailer';
import { DEFAULT_TEMPLATES, isTemplateKey, type TemplateVariable, type TemplateVars } from './templates.ts';

/**
 * The channels that talk to the outside world: SMTP email (nodemailer), a Fonnte-style WhatsApp gateway and WAHA.
 * Each takes what is to be sent and answers the provider's message id, or throws `DeliveryError` with words the
 * office can read.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False when trying again cannot help (a number the gateway refuses, a wrong password). */
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

const TIMEOUT_MS = 15_000;

export interface EmailAccount {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from_address: string;
  from_name: string | null;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export async function sendEmail(account: EmailAccount, message: EmailMessage): Promise<string | null> {
  const transport = nodemailer.createTransport({
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: account.user ? { user: account.user, pass: account.password ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    // A self-hosted relay on the LAN often has a self-signed certificate; STARTTLS is still used when offered.
    tls: { rejectUnauthorized: false },
  });
  try {
    const info = await transport.sendMail({
      from: account.from_name ? { name: account.from_name, address: account.from_address } : account.from_address,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments,
    });
    return info.messageId ?? null;
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    // 5xx answers from the server are refusals (unknown mailbox, authentication); 4xx and network trouble pass.
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 554;
    throw new DeliveryError(`SMTP: ${e.message ?? String(err)}`.slice(0, 500), !permanent || e.code === 'ECONNECTION');
  } finally {
    transport.close();
  }
}

export interface CloudTemplateMapping {
  name: string;
  language: string;
  params?: TemplateVariable[];
}

export interface GatewayAccount {
  provider: 'fonnte' | 'waha' | 'cloud_api';
  base_url: string;
  token: string;
  /** WAHA's session name. */
  session: string | null;
  /** Cloud API: the sending number's id and the approved template for each Klustera template. */
  phone_number_id?: string | null;
  cloud_templates?: Partial<Record<string, CloudTemplateMapping>>;
}

/** What a WhatsApp gateway sends: the rendered text, and for the Cloud API the template and its values. */
export interface WhatsappMessage {
  text: string;
  template_key?: string;
  vars?: TemplateVars;
}

async function post(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new DeliveryError(`Gateway tidak dapat dihubungi: ${(err as Error).message}`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text answers are kept as they are
  }
  return { status: res.status, body };
}

function describe(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    return String(b.reason ?? b.message ?? b.detail ?? b.error ?? JSON.stringify(body)).slice(0, 300);
  }
  return String(body).slice(0, 300);
}

/**
 * Fonnte-style: `POST <base>/send` with the token as `Authorization` and form fields `target` and `message`; it
 * answers `{status: true, id: [...]}` or `{status: false, reason}`.
 */
export async function sendFonnte(account: GatewayAccount, number: string, text: string): Promise<string | null> {
  const form = new URLSearchParams({ target: number, message: text });
  const { status, body } = await post(`${account.base_url.replace(/\/+$/, '')}/send`, {
    method: 'POST',
    headers: { Authorization: account.token, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const b = (body ?? {}) as { status?: unknown; id?: unknown };
  if (status >= 200 && status < 300 && b.status === true) {
    const id = Array.isArray(b.id) ? b.id[0] : b.id;
    return id === undefined || id === null ? null : String(id);
  }
  // 401/403 or a refused token will not get better by itself; rate limits and 5xx may.
  const permanent = status === 401 || status === 403 || (status < 300 && /token|target|invalid/i.test(describe(body)));
  throw new DeliveryError(`Fonnte: ${describe(body)} (HTTP ${status})`, !permanent);
}

/** WAHA: `POST <base>/api/sendText` with `X-Api-Key`, JSON `{session, chatId: "<number>@c.us", text}`. */
export async function sendWaha(account: GatewayAccount, number: string, text: string): Promise<string | null> {
  const { status, body } = await post(`${account.base_url.replace(/\/+$/, '')}/api/sendText`, {
    method: 'POST',
    headers: { 'X-Api-Key': account.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ session: account.session || 'default', chatId: `${number}@c.us`, text }),
  });
  if (status >= 200 && status < 300) {
    const b = (body ?? {}) as { id?: unknown };
    const id = b.id && typeof b.id === 'object' ? (b.id as { _serialized?: unknown })._serialized : b.id;
    return id === undefined || id === null ? null : String(id);
  }
  throw new DeliveryError(`WAHA: ${describe(body)} (HTTP ${status})`, !(status === 401 || status === 403 || status === 422));
}

const VARIABLE = /\{([a-z_]+)\}/g;

/**
 * The body parameters {{1}}, {{2}}, … of a Klustera template's approved Meta template: the variables of Klustera's
 * default wording in the order they first appear (payment received: nama, unit, jumlah, link_kuitansi), unless the
 * mapping names its own order.
 */
export function cloudParamOrder(templateKey: string, mapping: CloudTemplateMapping): TemplateVariable[] {
  if (mapping.params) return mapping.params;
  if (!isTemplateKey(templateKey)) return [];
  const names = [...DEFAULT_TEMPLATES[templateKey].body.matchAll(VARIABLE)].map((m) => m[1] as TemplateVariable);
  return [...new Set(names)];
}

/** Meta refuses a parameter that is empty or holds new lines, tabs or more than four spaces in a row. */
function cloudParamText(value: string | undefined): string {
  const text = (value ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {4,}/g, '   ')
    .trim();
  return text ? text.slice(0, 1024) : '-';
}

/**
 * WhatsApp Cloud API (Meta): `POST <base>/<phone_number_id>/messages` with `Authorization: Bearer <token>` and an
 * approved template. Plain text is allowed by Meta only inside the 24 hours after the resident last wrote, which
 * Klustera cannot know, so a Klustera template without an approved mapping is not sent. Errors come as
 * `{error: {message, type, code, error_subcode, fbtrace_id}}`: 4xx (token, parameters, template) are final; 429, 5xx
 * and the rate limit (code 130429, 80007, 4) are tried again.
 */
export async function sendCloudApi(account: GatewayAccount, number: string, message: WhatsappMessage): Promise<string | null> {
  const mapping = message.template_key ? account.cloud_templates?.[message.template_key] : undefined;
  if (!mapping) {
    throw new DeliveryError(`Template WhatsApp Cloud API belum diatur untuk "${message.template_key ?? '-'}".`, false);
  }
  const parameters = cloudParamOrder(message.template_key!, mapping).map((name) => ({
    type: 'text',
    text: cloudParamText(message.vars?.[name]),
  }));
  const template: Record<string, unknown> = { name: mapping.name, language: { code: mapping.language || 'id' } };
  if (parameters.length) template.components = [{ type: 'body', parameters }];
  const { status, body } = await post(
    `${(account.base_url || 'https://graph.facebook.com/v21.0').replace(/\/+$/, '')}/${encodeURIComponent(account.phone_number_id ?? '')}/messages`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${account.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: number, type: 'template', template }),
    },
  );
  if (status >= 200 && status < 300) {
    const id = (body as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
    return id === undefined || id === null ? null : String(id);
  }
  const error = ((body ?? {}) as { error?: { message?: unknown; code?: unknown; error_subcode?: unknown } }).error;
  const code = Number(error?.code);
  const rateLimited = status === 429 || code === 130429 || code === 80007 || code === 4;
  const text = error?.message ? `${String(error.message).slice(0, 300)}${Number.isFinite(code) ? ` [${code}]` : ''}` : describe(body);
  throw new DeliveryError(`WhatsApp Cloud API: ${text} (HTTP ${status})`, rateLimited || status >= 500 || status < 400);
}

export async function sendWhatsappGateway(account: GatewayAccount, number: string, message: WhatsappMessage): Promise<string | null> {
  if (account.provider === 'cloud_api') return sendCloudApi(account, number, message);
  return account.provider === 'waha' ? sendWaha(account, number, message.text) : sendFonnte(account, number, message.text);
}
