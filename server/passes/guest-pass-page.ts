import QRCode from 'qrcode';
import { SYSTEM_ACTOR, ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { decodePayload, verifySignedToken } from './pass-payload.ts';
import { passStatus, type PassRow } from './service.ts';

/**
 * What a guest sees after tapping the link in the host's WhatsApp message: the QR code to show at the gate and the
 * entry code to say aloud. The link carries the pass's signed QR payload, the same credential the message already
 * gives as a code, so it opens without an account. Only a payload signed by the estate's own key opens the page; an
 * edited or invented one reads as unknown, like a pass that does not exist.
 */
export interface GuestPassView {
  estate_name: string;
  name: string;
  unit_code: string;
  code: string;
  valid_from_local: string;
  valid_until_local: string;
  status: ReturnType<typeof passStatus>;
  qr_data_url: string | null;
}

export async function openGuestPass(app: Pick<AppContext, 'db' | 'sync'>, token: string): Promise<GuestPassView | null> {
  const knex = app.db.knex;
  const decoded = decodePayload(token);
  if (!decoded.ok || decoded.token.subject !== 'pass') return null;
  const estate = (await knex('estates').where({ id: decoded.token.estateId }).first('id', 'name', 'timezone')) as
    | { id: string; name: string; timezone: string }
    | undefined;
  if (!estate) return null;
  // The signature decides before any pass is read: the estate's key that signed it, never created here.
  const store = new ScopedStore(knex, estate.id, SYSTEM_ACTOR, app.sync);
  const keys = (await store.query('gate_signing_keys').first('public_key_pem')) as { public_key_pem: string } | undefined;
  if (!keys || !verifySignedToken(decoded, keys.public_key_pem)) return null;
  const pass = (await store.query('passes').where('id', decoded.token.subjectId).first()) as PassRow | undefined;
  // A resident's own pass stays with the resident: only guest and service passes are sent out by message.
  if (!pass || pass.kind === 'resident') return null;
  const unit = (await store.query('units').where('id', pass.unit_id).first('code')) as { code: string } | undefined;
  const status = passStatus(pass);
  const local = (iso: string) =>
    new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short', timeZone: estate.timezone }).format(new Date(iso));
  return {
    estate_name: estate.name,
    name: pass.name,
    unit_code: unit?.code ?? '',
    code: pass.code,
    valid_from_local: local(pass.valid_from),
    valid_until_local: local(pass.valid_until),
    status,
    // A pass that can no longer open the gate shows why, not a QR code that would only be refused there.
    qr_data_url:
      status === 'active' || status === 'not_yet_valid' || status === 'already_inside'
        ? await QRCode.toDataURL(token, { errorCorrectionLevel: 'M', margin: 2, scale: 8 })
        : null,
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS_TEXT: Partial<Record<GuestPassView['status'], string>> = {
  active: 'Berlaku',
  not_yet_valid: 'Belum berlaku',
  already_inside: 'Sedang di dalam',
  expired: 'Sudah kedaluwarsa',
  used_up: 'Sudah dipakai',
  revoked: 'Dibatalkan oleh tuan rumah',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:26rem;margin:1.25rem auto;padding:0 1rem;color:#111;text-align:center}
h1{font-size:1.3rem;margin:.2rem 0}p{margin:.4rem 0;overflow-wrap:anywhere}img{width:100%;max-width:18rem;image-rendering:pixelated}
.code{font:700 2rem ui-monospace,monospace;letter-spacing:.12em}.badge{display:inline-block;padding:.35rem .8rem;border-radius:.4rem;font-weight:700;color:#fff}
.ok{background:#1b7f3b}.bad{background:#b00020}small{color:#555}
</style></head><body>${body}</body></html>`;
}

export function guestPassPageHtml(view: GuestPassView): string {
  const usable = view.qr_data_url !== null;
  const badge = `<span class="badge ${usable ? 'ok' : 'bad'}" data-testid="guest-pass-status">${escape(STATUS_TEXT[view.status] ?? 'Tidak berlaku')}</span>`;
  const credentials = usable
    ? `<p><img src="${view.qr_data_url}" alt="Kode QR" data-testid="guest-pass-qr"></p><p>Kode masuk</p><p class="code" data-testid="guest-pass-code">${escape(view.code)}</p>
<p><small>Tunjukkan kode QR ini atau sebutkan kode masuk kepada petugas di pos jaga.<br>Show this QR code or say the entry code at the gate.</small></p>`
    : '<p>Kartu tamu ini tidak dapat dipakai lagi. Hubungi tuan rumah Anda.<br><small>This guest pass can no longer be used.</small></p>';
  return page(
    `Kartu tamu · ${view.estate_name}`,
    `<p><small>${escape(view.estate_name)}</small></p><h1>${escape(view.name)}</h1><p>Tamu unit ${escape(view.unit_code)}</p>${badge}${credentials}
<p><small>Berlaku ${escape(view.valid_from_local)} s.d. ${escape(view.valid_until_local)}</small></p>`,
  );
}

export function unknownGuestPassHtml(): string {
  return page(
    'Kartu tamu tidak dikenal',
    '<h1>Kartu tamu tidak dikenal</h1><span class="badge bad">TIDAK SAH</span><p>Tautan ini tidak cocok dengan kartu tamu mana pun. Minta tuan rumah mengirim ulang.</p>',
  );
}
