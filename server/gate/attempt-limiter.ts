/**
 * Guessing protection for short secrets typed at the gate (6/8-digit pass codes, guard PINs). A 6-digit code has a
 * million values; a script on a paired kiosk could walk them in minutes without this. Two limits per key (a device,
 * or a device + guard): a rate limit on all attempts in a sliding window, and a lockout after consecutive failures.
 * State is in memory on purpose — it guards one server process, which is where the kiosk talks to.
 */
export interface AttemptLimits {
  windowMs: number;
  maxAttemptsPerWindow: number;
  maxConsecutiveFailures: number;
  lockoutMs: number;
}

export const CODE_LIMITS: AttemptLimits = {
  windowMs: 60_000,
  maxAttemptsPerWindow: 20,
  maxConsecutiveFailures: 5,
  lockoutMs: 5 * 60_000,
};

interface KeyState {
  attempts: number[];
  consecutiveFailures: number;
  lockedUntil: number;
}

export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class AttemptLimiter {
  private readonly states = new Map<string, KeyState>();

  constructor(private readonly limits: AttemptLimits = CODE_LIMITS) {}

  /** Call before checking the secret; an allowed attempt is counted against the rate limit immediately. */
  begin(key: string, nowMs: number): AttemptDecision {
    const state = this.stateOf(key);
    if (state.lockedUntil > nowMs) return { allowed: false, retryAfterMs: state.lockedUntil - nowMs };
    state.attempts = state.attempts.filter((t) => t > nowMs - this.limits.windowMs);
    if (state.attempts.length >= this.limits.maxAttemptsPerWindow) {
      return { allowed: false, retryAfterMs: state.attempts[0] + this.limits.windowMs - nowMs };
    }
    state.attempts.push(nowMs);
    return { allowed: true };
  }

  /** Call after checking the secret. */
  finish(key: string, nowMs: number, succeeded: boolean): void {
    const state = this.stateOf(key);
    if (succeeded) {
      state.consecutiveFailures = 0;
      return;
    }
    state.consecutiveFailures += 1;
    if (state.consecutiveFailures >= this.limits.maxConsecutiveFailures) {
      state.lockedUntil = nowMs + this.limits.lockoutMs;
      state.consecutiveFailures = 0;
    }
    this.prune(nowMs);
  }

  private stateOf(key: string): KeyState {
    let state = this.states.get(key);
    if (!state) this.states.set(key, (state = { attempts: [], consecutiveFailures: 0, lockedUntil: 0 }));
    return state;
  }

  // Keeps memory bounded when many keys come and go.
  private prune(nowMs: number): void {
    if (this.states.size < 10_000) return;
    for (const [key, state] of this.states) {
      const lastAttempt = state.attempts[state.attempts.length - 1] ?? 0;
      if (state.lockedUntil <= nowMs && lastAttempt <= nowMs - this.limits.windowMs) this.states.delete(key);
    }
  }
}
