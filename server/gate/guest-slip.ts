import type { PrintLayout } from '../devices/print-layout.ts';

export interface GuestSlip {
  estateName: string;
  guestName: string;
  unitCode: string;
  enteredAt: string;
  timezone: string;
  gateName: string;
  guardName: string;
  people: number;
  plate: string | null;
  purpose: string | null;
  idCardLeft: boolean;
  /** Signed visit token: scanning the slip at the exit checks the guest out. */
  checkoutPayload: string;
}

export function formatSlipTime(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('id-ID', {
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timezone,
  }).format(new Date(iso));
}

/** The paper the guest carries while inside: who they are, where they go, and the QR that checks them out. */
export function guestSlipLayout(slip: GuestSlip): PrintLayout {
  const blocks: PrintLayout['blocks'] = [
    { kind: 'text', text: slip.estateName, align: 'center', bold: true },
    { kind: 'text', text: 'SLIP TAMU', align: 'center', size: 'large' },
    { kind: 'rule' },
    { kind: 'pair', left: 'Tamu', right: slip.guestName, bold: true },
    { kind: 'pair', left: 'Unit', right: slip.unitCode, bold: true },
    { kind: 'pair', left: 'Masuk', right: formatSlipTime(slip.enteredAt, slip.timezone) },
    { kind: 'pair', left: 'Jumlah orang', right: String(slip.people) },
  ];
  if (slip.plate) blocks.push({ kind: 'pair', left: 'No. polisi', right: slip.plate });
  if (slip.purpose) blocks.push({ kind: 'pair', left: 'Keperluan', right: slip.purpose });
  if (slip.idCardLeft) blocks.push({ kind: 'text', text: 'KTP dititipkan di pos jaga', bold: true });
  blocks.push(
    { kind: 'pair', left: 'Gerbang', right: slip.gateName },
    { kind: 'pair', left: 'Petugas', right: slip.guardName },
    { kind: 'rule' },
    { kind: 'qr', data: slip.checkoutPayload, caption: 'Pindai saat keluar' },
    { kind: 'feed', lines: 2 },
  );
  return { blocks, cut: true };
}
