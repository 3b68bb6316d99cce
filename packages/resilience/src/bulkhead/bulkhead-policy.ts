import { policyContext, type PolicyContext, type ResiliencePolicy } from '../policy/resilience-policy';
import { BulkheadRejectedError } from './bulkhead.errors';
import { check } from '../resilience-options';

/** Options of {@link BulkheadPolicy}. */
export interface BulkheadOptions {
  /** Calls allowed to run at once. Integer ≥ 1. Required. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a slot (first come, first served); beyond it calls are rejected. Integer ≥ 0. Defaults to 0. */
  readonly maxQueue?: number;
}

interface Waiter {
  readonly resolve: () => void;
}

/**
 * Limits concurrency: at most `maxConcurrent` calls run, at most `maxQueue` wait, and the rest are
 * rejected at once with {@link BulkheadRejectedError}. A waiting call whose signal aborts leaves
 * the queue and rejects with the signal's reason.
 */
export class BulkheadPolicy implements ResiliencePolicy {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private running = 0;
  private waiting = 0;
  private readonly queue: Waiter[] = [];

  constructor(options: BulkheadOptions) {
    this.maxConcurrent = check.integer('maxConcurrent', options?.maxConcurrent, undefined, { min: 1 });
    this.maxQueue = check.integer('maxQueue', options.maxQueue, 0, { min: 0 });
  }

  /** Calls running now. */
  get active(): number {
    return this.running;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.waiting;
  }

  /** Runs `fn` when a slot is free (waiting in the queue if allowed), or rejects at once. */
  async execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.running < this.maxConcurrent) {
      this.running += 1;
    } else if (this.waiting < this.maxQueue) {
      await this.enqueue(signal); // on success the slot was handed over: `running` already counts us
    } else {
      throw new BulkheadRejectedError(this.maxConcurrent, this.maxQueue);
    }
    try {
      return await fn(policyContext(signal));
    } finally {
      this.release();
    }
  }

  private enqueue(signal: AbortSignal | undefined): Promise<void> {
    this.waiting += 1;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        // Leave the queue at once: callers that give up must not pile up behind a long call.
        this.queue.splice(this.queue.indexOf(waiter), 1);
        this.waiting -= 1;
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next === undefined) {
      this.running -= 1;
      return;
    }
    this.waiting -= 1;
    next.resolve(); // hand the slot over without freeing it
  }
}

/** A {@link BulkheadPolicy} running `maxConcurrent` calls at once with `maxQueue` waiting. */
export function bulkhead(maxConcurrent: number, maxQueue = 0): BulkheadPolicy {
  return new BulkheadPolicy({ maxConcurrent, maxQueue });
}
