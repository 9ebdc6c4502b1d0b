/**
 * Hybrid logical clock (Kulkarni et al.): wall-clock milliseconds plus a counter, so outbox rows written on two
 * machines order consistently even when their clocks disagree. Encoded as a fixed-width string that sorts
 * lexicographically: `<ms:15>-<counter:5>-<site>`.
 */
/**
 * How far ahead of this machine's wall clock a timestamp from another site may carry this clock: a week. A desktop a
 * day or two off still orders everything causally (a change received and then edited here sorts after it), while a
 * desktop whose date was set to 2030 cannot drag the hosted instance's clock, shared by every estate, years ahead.
 */
export const MAX_REMOTE_LEAD_MS = 7 * 24 * 60 * 60 * 1000;

export interface HlcState {
  millis: number;
  counter: number;
}

export class HybridLogicalClock {
  private state: HlcState = { millis: 0, counter: 0 };

  constructor(
    readonly siteId: string,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** Timestamp for a local event. */
  tick(): string {
    const wall = this.wallClock();
    if (wall > this.state.millis) this.state = { millis: wall, counter: 0 };
    else this.state = { millis: this.state.millis, counter: this.state.counter + 1 };
    return encodeHlc(this.state, this.siteId);
  }

  /**
   * Merge a timestamp received from another site so later local events sort after it, moving this clock at most
   * MAX_REMOTE_LEAD_MS past the wall clock. True when the timestamp lay further ahead and this clock stopped there.
   */
  receiveRemote(remote: string): boolean {
    const r = decodeHlc(remote);
    const limit = this.wallClock() + MAX_REMOTE_LEAD_MS;
    if (r.millis <= limit) {
      this.receive(remote);
      return false;
    }
    this.receive(encodeHlc({ millis: limit, counter: 0 }, r.siteId));
    return true;
  }

  /** Merge a timestamp this site issued itself (its own history, uncapped) so later local events sort after it. */
  receive(remote: string): string {
    const r = decodeHlc(remote);
    const wall = this.wallClock();
    const millis = Math.max(wall, this.state.millis, r.millis);
    let counter = 0;
    if (millis === this.state.millis && millis === r.millis) counter = Math.max(this.state.counter, r.counter) + 1;
    else if (millis === this.state.millis) counter = this.state.counter + 1;
    else if (millis === r.millis) counter = r.counter + 1;
    this.state = { millis, counter };
    return encodeHlc(this.state, this.siteId);
  }
}

export function encodeHlc(s: HlcState, siteId: string): string {
  return `${String(s.millis).padStart(15, '0')}-${String(s.counter).padStart(5, '0')}-${siteId}`;
}

export function decodeHlc(value: string): HlcState & { siteId: string } {
  const m = /^(\d{15})-(\d{5})-(.+)$/.exec(value);
  if (!m) throw new Error(`not an HLC timestamp: ${value}`);
  return { millis: Number(m[1]), counter: Number(m[2]), siteId: m[3] };
}
