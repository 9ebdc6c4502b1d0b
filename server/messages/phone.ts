/** Indonesian phone numbers as WhatsApp wants them (country code, digits only). Pure. */

/** `0812-3456-7890`, `+62 812…`, `62812…` → `62812…`; null when it is not a plausible mobile number. */
export function whatsappNumber(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = phone.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
  else if (digits.startsWith('8')) digits = `62${digits}`;
  if (!/^\d{9,15}$/.test(digits)) return null;
  return digits;
}

/** A link that opens WhatsApp with the text filled in, to be sent by hand. */
export function waMeLink(number: string, text: string): string {
  return `https://wa.me/${number}?text=${encodeURIComponent(text)}`;
}
