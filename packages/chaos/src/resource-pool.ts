import type { Clock, TimerHandle } from '@aegispay/domain';

interface Waiter {
  readonly resolve: (acquired: boolean) => void;
  timer: TimerHandle | null;
  cleanup: () => void;
}

/** Counters of a {@link ResourcePool}. */
export interface ResourcePoolStats {
  readonly size: number;
  readonly inUse: number;
  readonly waiting: number;
  /** Most calls ever waiting at once. */
  readonly peakWaiting: number;
  /** Calls that had to wait for a connection (whether they got one or not). */
  readonly waits: number;
}

/**
 * A bounded pool of connections, simulated: `size` calls may hold one at once; the others wait
 * in arrival order for up to `acquireTimeoutMs` of the clock, then give up.
 */
export class ResourcePool {
  private inUse = 0;
  private readonly waiters: Waiter[] = [];
  private peakWaiting = 0;
  private waits = 0;

  constructor(
    readonly size: number,
    private readonly clock: Clock,
  ) {}

  /**
   * Resolves true with a connection held (give it back with {@link release}), or false when none
   * freed up within `timeoutMs`. Rejects with the signal's reason when `signal` aborts while waiting.
   */
  acquire(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.inUse < this.size) {
      this.inUse += 1;
      return Promise.resolve(true);
    }
    this.waits += 1;
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      const onAbort = (): void => {
        this.remove(waiter);
        waiter.cleanup();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve,
        timer: null,
        cleanup: () => {
          waiter.timer?.cancel();
          signal?.removeEventListener('abort', onAbort);
        },
      };
      waiter.timer = this.clock.setTimer(timeoutMs, () => {
        this.remove(waiter);
        waiter.cleanup();
        resolve(false);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.peakWaiting = Math.max(this.peakWaiting, this.waiters.length);
    });
  }

  /** Gives a connection back: the longest-waiting call gets it, else it becomes free. */
  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) {
      next.cleanup();
      next.resolve(true);
      return;
    }
    this.inUse = Math.max(0, this.inUse - 1);
  }

  /** A JSON-safe snapshot. */
  getStats(): ResourcePoolStats {
    return { size: this.size, inUse: this.inUse, waiting: this.waiters.length, peakWaiting: this.peakWaiting, waits: this.waits };
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }
}
