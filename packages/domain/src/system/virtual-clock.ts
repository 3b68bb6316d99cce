import type { Clock, TimerHandle } from '../ports/clock.port';

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** Initial time, epoch ms. Defaults to 2026-01-01T00:00:00Z (1 767 225 600 000). */
  readonly start?: number;
  /**
   * When true, the clock moves by itself: whenever the program has nothing left to do but wait
   * for timers (the microtask queue is drained), it jumps to the earliest timer and fires it.
   * A 60-second experiment then takes as long as its computation. Real I/O takes no virtual
   * time. Defaults to false (time moves only through `advance`, `tick` and `set`).
   */
  readonly autoAdvance?: boolean;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** 2026-01-01T00:00:00Z */
export const DEFAULT_VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock whose time only moves when told to (or, with `autoAdvance`, whenever everything is
 * waiting on it). Timers fire in time order, ties in scheduling order. Used for tests and for
 * chaos experiments on virtual time.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private autoAdvance: boolean;
  private autoScheduled = false;
  /** Works in progress during which time stands still (see {@link hold}). */
  private held = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.current = Math.floor(options.start ?? DEFAULT_VIRTUAL_EPOCH);
    this.autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (!(ms > 0)) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        handle.cancel();
        reject(signal?.reason);
      };
      const handle = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    // Whole milliseconds, like the system clock: a jittered delay of 12.3 ms fires at +13 ms.
    const timer: Timer = { at: this.current + Math.ceil(Math.max(0, ms)), seq: this.seq++, callback, cancelled: false };
    this.insert(timer);
    this.scheduleAutoAdvance();
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const index = this.timers.indexOf(timer);
        if (index >= 0) this.timers.splice(index, 1);
      },
    };
  }

  /** Number of timers waiting to fire. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and letting the code they wake run
   * (microtasks are drained between timers) before looking for the next one. Await it.
   */
  async advance(ms: number): Promise<void> {
    assertDuration(ms);
    await this.runUntil(this.current + Math.ceil(ms));
  }

  /** Moves to `epochMs`: forward like {@link advance}; backward (clock skew) without firing anything. */
  async set(epochMs: number): Promise<void> {
    if (!Number.isFinite(epochMs)) throw new RangeError(`VirtualClock.set: ${epochMs} is not a finite time`);
    const target = Math.floor(epochMs);
    if (target < this.current) {
      this.current = target;
      return;
    }
    await this.runUntil(target);
  }

  /**
   * Moves time forward by `ms` synchronously, firing due timers in order without running the
   * code they wake in between. For simple state checks; prefer {@link advance}.
   */
  tick(ms: number): void {
    assertDuration(ms);
    const target = this.current + Math.ceil(ms);
    for (let next = this.timers[0]; next !== undefined && next.at <= target; next = this.timers[0]) {
      this.fire(next);
    }
    this.current = target;
  }

  /** Fires timers (and what they schedule) until none is left or `maxTimers` fired. Returns how many fired. */
  async runAll(maxTimers = 100_000): Promise<number> {
    let fired = 0;
    await flushMicrotasks();
    for (let next = this.timers[0]; next !== undefined && fired < maxTimers; next = this.timers[0]) {
      this.fire(next);
      fired += 1;
      await flushMicrotasks();
    }
    return fired;
  }

  /**
   * Runs `work` with time standing still: automatic advancing waits until it settles. For real I/O
   * — a database round trip, a socket — which is not "waiting on the clock": without it, a query
   * slower than one turn of the event loop (a busy machine) lets auto-advance jump to the next
   * timer, and a deadline fires that real time never reached.
   */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.held += 1;
    try {
      return await work();
    } finally {
      this.held -= 1;
      this.scheduleAutoAdvance();
    }
  }

  /** Switches automatic advancing on or off (see {@link VirtualClockOptions.autoAdvance}). */
  setAutoAdvance(enabled: boolean): void {
    this.autoAdvance = enabled;
    this.scheduleAutoAdvance();
  }

  private async runUntil(target: number): Promise<void> {
    await flushMicrotasks();
    for (let next = this.timers[0]; next !== undefined && next.at <= target; next = this.timers[0]) {
      this.fire(next);
      await flushMicrotasks();
    }
    this.current = Math.max(this.current, target);
  }

  private fire(timer: Timer): void {
    this.timers.shift();
    timer.cancelled = true;
    this.current = Math.max(this.current, timer.at);
    timer.callback();
  }

  private insert(timer: Timer): void {
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.timers[mid] as Timer;
      if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) low = mid + 1;
      else high = mid;
    }
    this.timers.splice(low, 0, timer);
  }

  private scheduleAutoAdvance(): void {
    if (!this.autoAdvance || this.autoScheduled || this.held > 0 || this.timers.length === 0) return;
    this.autoScheduled = true;
    setImmediate(() => {
      this.autoScheduled = false;
      // Held: advancing resumes when the last held work settles.
      if (!this.autoAdvance || this.held > 0) return;
      const next = this.timers[0];
      if (next !== undefined) this.fire(next);
      this.scheduleAutoAdvance();
    });
  }
}

function assertDuration(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`VirtualClock: cannot advance by ${ms} ms`);
}
