/**
 * The messages' wording: one default per template in Bahasa Indonesia, which an estate may replace with its own
 * (`message_templates`), and the one way text is filled in. Pure: no database.
 */

export const TEMPLATE_KEYS = [
  'invoice_new',
  'reminder_h3',
  'reminder_h1',
  'reminder_h_plus1',
  'overdue_digest',
  'payment_received',
  'proof_rejected',
  'guest_arrived',
  'announcement',
  'vote_opened',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export const TEMPLATE_VARIABLES = [
  'nama',
  'unit',
  'jumlah',
  'periode',
  'jatuh_tempo',
  'link_bayar',
  'link_kuitansi',
  'alasan',
  'tamu',
  'judul',
  'isi',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVars = Partial<Record<TemplateVariable, string>>;

export interface TemplateText {
  subject: string;
  body: string;
}

export const DEFAULT_TEMPLATES: Record<TemplateKey, TemplateText> = {
  invoice_new: {
    subject: 'Tagihan baru {periode} unit {unit}',
    body: 'Yth. {nama},\ntagihan iuran unit {unit} periode {periode} sebesar {jumlah} sudah terbit, jatuh tempo {jatuh_tempo}.\nBayar di: {link_bayar}\nTerima kasih.',
  },
  reminder_h3: {
    subject: 'Pengingat: tagihan {unit} jatuh tempo {jatuh_tempo}',
    body: 'Yth. {nama},\nmengingatkan tagihan unit {unit} periode {periode} sebesar {jumlah} jatuh tempo 3 hari lagi ({jatuh_tempo}).\nBayar di: {link_bayar}\nAbaikan pesan ini bila sudah membayar.',
  },
  reminder_h1: {
    subject: 'Pengingat: tagihan {unit} jatuh tempo besok',
    body: 'Yth. {nama},\ntagihan unit {unit} periode {periode} sebesar {jumlah} jatuh tempo besok ({jatuh_tempo}).\nBayar di: {link_bayar}\nAbaikan pesan ini bila sudah membayar.',
  },
  reminder_h_plus1: {
    subject: 'Tagihan {unit} melewati jatuh tempo',
    body: 'Yth. {nama},\ntagihan unit {unit} periode {periode} sebesar {jumlah} telah melewati jatuh tempo ({jatuh_tempo}).\nMohon segera dibayar: {link_bayar}\nAbaikan pesan ini bila sudah membayar.',
  },
  overdue_digest: {
    subject: 'Ringkasan tunggakan unit {unit}',
    body: 'Yth. {nama},\nunit {unit} masih memiliki tunggakan sebesar {jumlah} ({periode}).\nBayar di: {link_bayar}\nTerima kasih.',
  },
  payment_received: {
    subject: 'Pembayaran diterima: {unit} {jumlah}',
    body: 'Yth. {nama},\npembayaran unit {unit} sebesar {jumlah} sudah kami terima. Terima kasih.\nKuitansi: {link_kuitansi}',
  },
  proof_rejected: {
    subject: 'Bukti transfer unit {unit} ditolak',
    body: 'Yth. {nama},\nbukti transfer unit {unit} sebesar {jumlah} ditolak pengurus dengan alasan: {alasan}.\nSilakan kirim ulang di: {link_bayar}',
  },
  guest_arrived: {
    subject: 'Tamu tiba di gerbang',
    body: 'Yth. {nama},\ntamu Anda {tamu} sudah tiba di gerbang untuk unit {unit}.',
  },
  announcement: {
    subject: 'Pengumuman: {judul}',
    body: 'Yth. {nama},\n{judul}\n\n{isi}',
  },
  vote_opened: {
    subject: 'Pemungutan suara dibuka: {judul}',
    body: 'Yth. {nama},\npemungutan suara "{judul}" sudah dibuka. Sampaikan pilihan Anda di portal warga.',
  },
};

export function isTemplateKey(value: unknown): value is TemplateKey {
  return typeof value === 'string' && (TEMPLATE_KEYS as readonly string[]).includes(value);
}

/**
 * Stands in the stored text for the installation's public address, filled in when the message is shown or sent: the
 * address may change between queueing and sending, and a value cannot forge it (control characters are taken out of
 * values).
 */
export const BASE_URL_MARK = '\u001fBASE\u001f';

const VARIABLE = /\{([a-z_]+)\}/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: values lose control characters so they cannot forge the base-URL mark
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** `{variable}` replaced by its value in one pass (a value containing `{x}` stays literal); unknown names stay. */
export function fillTemplate(text: string, vars: TemplateVars, escape: (s: string) => string = (s) => s): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    const value = (vars as Record<string, string | undefined>)[name];
    if (value === undefined) return whole;
    // Links are made here from ids and may carry the base-URL mark; every other value may come from a person.
    return escape(name.startsWith('link_') ? value : value.replace(CONTROL, ''));
  });
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The email's HTML: the template text escaped, values escaped, lines kept, links made clickable. */
export function renderHtml(template: string, vars: TemplateVars): string {
  const body = fillTemplate(escapeHtml(template), vars, escapeHtml)
    .split('\n')
    .map((line) => line.replace(/(https?:\/\/[^\s<]+|\u001fBASE\u001f[^\s<]*)/g, (url) => `<a href="${url}">${url}</a>`))
    .join('<br>\n');
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:15px;line-height:1.5">${body}</body></html>`;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export function renderMessage(template: TemplateText, vars: TemplateVars): RenderedMessage {
  return { ...renderText(template, vars), html: renderHtml(template.body, vars) };
}

/** `renderMessage` without the HTML, which only email needs. */
export function renderText(template: TemplateText, vars: TemplateVars): Omit<RenderedMessage, 'html'> {
  return {
    subject: fillTemplate(template.subject, vars)
      .replace(/[\r\n]+/g, ' ')
      .slice(0, 300),
    text: fillTemplate(template.body, vars),
  };
}

/** Stored text with the public address filled in. */
export function withBaseUrl(text: string, baseUrl: string): string {
  return text.split(BASE_URL_MARK).join(baseUrl.replace(/\/+$/, ''));
}

/** Variable names a template uses that are not known: shown to the office before it saves. */
export function unknownVariables(text: string): string[] {
  const names = [...text.matchAll(VARIABLE)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !(TEMPLATE_VARIABLES as readonly string[]).includes(n)))];
}
