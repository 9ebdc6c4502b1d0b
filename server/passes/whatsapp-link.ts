/**
 * The `wa.me` link a resident taps to send a guest their pass. WhatsApp wants the number in international form without
 * `+` or separators; an Indonesian local number (08…) becomes 628….
 */
export function whatsappNumber(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^0-9]/g, '');
  if (digits.startsWith('0')) return '62' + digits.slice(1);
  return digits;
}

export interface GuestInvitation {
  estateName: string;
  guestName: string;
  unitCode: string;
  code: string;
  validFrom: string;
  validUntil: string;
  timezone: string;
  /** Where the guest opens the QR code on their own phone; the message points at it instead of promising a QR it lacks. */
  passLink: string;
}

function formatLocal(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(new Date(iso));
}

export function guestInvitationText(invite: GuestInvitation): string {
  return [
    `Halo ${invite.guestName}, Anda terdaftar sebagai tamu di ${invite.estateName}, unit ${invite.unitCode}.`,
    `Kode masuk: ${invite.code}`,
    `Kode QR: ${invite.passLink}`,
    `Berlaku: ${formatLocal(invite.validFrom, invite.timezone)} s.d. ${formatLocal(invite.validUntil, invite.timezone)}`,
    'Buka tautan di atas dan tunjukkan kode QR-nya, atau sebutkan kode masuk kepada petugas di pos jaga.',
  ].join('\n');
}

export function whatsappLink(phone: string | null | undefined, text: string): string {
  return `https://wa.me/${whatsappNumber(phone)}?text=${encodeURIComponent(text)}`;
}

/** The page a guest opens from the message: their QR code and entry code, served at the installation's public address. */
export function guestPassLink(publicUrl: string, qrPayload: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/guest-passes/${qrPayload}`;
}
