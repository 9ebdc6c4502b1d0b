import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

// Random bytes drawn from the OS in blocks: asking for 16 bytes per id through Web Crypto costs more than the rest
// of making the id, and a payment or a gate scan makes ten.
const POOL_SIZE = 16 * 256;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBlock(): Uint8Array {
  if (poolOffset + 16 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const block = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return block;
}

// RFC 9562 §6.2 method 1: within one millisecond the 32-bit counter goes up by one, so ids from this process stay
// strictly increasing; a new millisecond restarts it from random bits with the top bit clear (room to count).
const state = { msecs: -Infinity, seq: 0 };

/** UUIDv7: time-ordered, so two offline machines create ids that never collide and still sort by creation. */
export function newId(): string {
  const random = randomBlock();
  const now = Date.now();
  if (now > state.msecs) {
    state.msecs = now;
    state.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs++;
  }
  return uuidv7({ random, msecs: state.msecs, seq: state.seq });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}
