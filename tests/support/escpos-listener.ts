import net from 'node:net';

/**
 * A stand-in receipt printer: a real TCP listener on 127.0.0.1 (like a network printer on port 9100) that keeps
 * every connection's bytes as one print job, and a decoder that reads those bytes back as an ESC/POS printer would.
 */
export interface EscPosListener {
  host: string;
  port: number;
  /** Resolves with the bytes of the next print job (a connection that has ended), in arrival order. */
  nextJob(): Promise<Buffer>;
  /** Jobs received so far and not yet taken by nextJob. */
  pending(): number;
  close(): Promise<void>;
}

export async function startEscPosListener(): Promise<EscPosListener> {
  const finished: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      const job = Buffer.concat(chunks);
      const w = waiting.shift();
      if (w) w(job);
      else finished.push(job);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    nextJob: () => {
      const ready = finished.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => waiting.push(resolve));
    },
    pending: () => finished.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface RasterImage {
  /** Width in dots (bytes per row × 8) and height in dots. */
  width: number;
  height: number;
  /** GS v 0 density mode (0–3). */
  mode: number;
  /** Row-major, one entry per dot: 1 = black. */
  dots: Uint8Array;
  /** Index in `lines` at which the image was printed. */
  atLine: number;
}

export interface DecodedEscPos {
  lines: string[];
  images: RasterImage[];
  cuts: number;
  /** Native QR commands (GS ( k) seen; receipts must not use them. */
  nativeQrCommands: number;
  /** Mnemonics of every command in order, for assertions about modes. */
  commands: string[];
}

const ESC_ONE_ARG = new Set([0x21, 0x2d, 0x33, 0x45, 0x47, 0x4a, 0x4d, 0x52, 0x56, 0x61, 0x64, 0x70, 0x72, 0x74, 0x7b, 0x3d]);
const GS_ONE_ARG = new Set([0x21, 0x42, 0x48, 0x66, 0x68, 0x72, 0x77, 0x62]);
const GS_TWO_ARGS = new Set([0x4c, 0x57]);

export class EscPosDecodeError extends Error {}

/** Reads an ESC/POS byte stream. Unknown commands throw, so a test notices bytes a real printer would misread. */
export function decodeEscPos(bytes: Buffer): DecodedEscPos {
  const out: DecodedEscPos = { lines: [], images: [], cuts: 0, nativeQrCommands: 0, commands: [] };
  let line = '';
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new EscPosDecodeError(`truncated command at byte ${i}`);
  };
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x1b) {
      need(2);
      const cmd = bytes[i + 1];
      if (cmd === 0x40) {
        out.commands.push('ESC @');
        i += 2;
      } else if (cmd === 0x32) {
        out.commands.push('ESC 2');
        i += 2;
      } else if (ESC_ONE_ARG.has(cmd)) {
        need(3);
        out.commands.push(`ESC ${String.fromCharCode(cmd)} ${bytes[i + 2]}`);
        if (cmd === 0x64) for (let k = 0; k < bytes[i + 2]; k++) out.lines.push(line), (line = '');
        i += 3;
      } else {
        throw new EscPosDecodeError(`unknown ESC 0x${cmd.toString(16)} at byte ${i}`);
      }
    } else if (b === 0x1d) {
      need(2);
      const cmd = bytes[i + 1];
      if (cmd === 0x76) {
        need(8);
        if (bytes[i + 2] !== 0x30) throw new EscPosDecodeError(`unknown GS v 0x${bytes[i + 2].toString(16)}`);
        const mode = bytes[i + 3] & 0x03;
        const xBytes = bytes[i + 4] + bytes[i + 5] * 256;
        const height = bytes[i + 6] + bytes[i + 7] * 256;
        const size = xBytes * height;
        i += 8;
        need(size);
        const dots = new Uint8Array(xBytes * 8 * height);
        for (let k = 0; k < size; k++) {
          const byte = bytes[i + k];
          for (let bit = 0; bit < 8; bit++) dots[k * 8 + bit] = (byte >> (7 - bit)) & 1;
        }
        out.images.push({ width: xBytes * 8, height, mode, dots, atLine: out.lines.length });
        out.commands.push('GS v 0');
        i += size;
      } else if (cmd === 0x56) {
        need(3);
        const m = bytes[i + 2];
        out.cuts += 1;
        out.commands.push(`GS V ${m}`);
        i += m === 65 || m === 66 ? 4 : 3;
      } else if (cmd === 0x28 && bytes[i + 2] === 0x6b) {
        need(5);
        const len = bytes[i + 3] + bytes[i + 4] * 256;
        out.nativeQrCommands += 1;
        out.commands.push('GS ( k');
        i += 5 + len;
      } else if (GS_ONE_ARG.has(cmd)) {
        need(3);
        out.commands.push(`GS ${String.fromCharCode(cmd)} ${bytes[i + 2]}`);
        i += 3;
      } else if (GS_TWO_ARGS.has(cmd)) {
        need(4);
        out.commands.push(`GS ${String.fromCharCode(cmd)}`);
        i += 4;
      } else {
        throw new EscPosDecodeError(`unknown GS 0x${cmd.toString(16)} at byte ${i}`);
      }
    } else if (b === 0x0a || b === 0x0c) {
      out.lines.push(line);
      line = '';
      i += 1;
    } else if (b === 0x0d) {
      i += 1;
    } else if (b === 0x09) {
      line += ' ';
      i += 1;
    } else if (b >= 0x20) {
      line += String.fromCharCode(b);
      i += 1;
    } else {
      throw new EscPosDecodeError(`unexpected control byte 0x${b.toString(16)} at byte ${i}`);
    }
  }
  if (line) out.lines.push(line);
  return out;
}
