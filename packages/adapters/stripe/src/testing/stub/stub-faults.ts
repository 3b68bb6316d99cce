import type { Random } from '@aegispay/domain';

/**
 * A fault the stub applies to one API call.
 * - `error` 429, 502, 503, 504: answered at Stripe's front door, before the endpoint runs: nothing
 *   is done or saved under the idempotency key, and a retry with the same key runs normally. 429 and
 *   503 carry `Stripe-Should-Retry: true`.
 * - `error` 500: the endpoint started and failed before moving money; the 500 (`api_error`,
 *   `Stripe-Should-Retry: false`) is saved under the key, so a replay gets the same 500 for 24 hours.
 * - `delay`: the answer comes `ms` later; the request holds its idempotency key meanwhile (a second
 *   request with the key gets 409) and is carried out when the delay ends.
 * - `hold`: like `delay`, until the control releases it.
 * - `drop`: the request is carried out and committed, then its answer is lost: `truncate` sends the
 *   status line, headers and half the body and cuts the connection (the SDK reports a connection
 *   error, no retry); `reset` closes the connection before any answer (the SDK retries such a
 *   connection once on its own, with the same key, and gets the saved answer).
 */
export type StubFault =
  | { readonly kind: 'error'; readonly status: 429 | 500 | 502 | 503 | 504 }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'hold' }
  | { readonly kind: 'drop'; readonly mode?: 'truncate' | 'reset' };

/** The API calls the stub serves. */
export type StubOperation = 'payment_intents.create' | 'payment_intents.retrieve' | 'refunds.create' | 'refunds.retrieve';

/** Every operation, in the order of the README's table. */
export const STUB_OPERATIONS: readonly StubOperation[] = Object.freeze(['payment_intents.create', 'payment_intents.retrieve', 'refunds.create', 'refunds.retrieve']);

/** Which calls a fault applies to. */
export interface FaultScope {
  /** Only calls of this operation. Defaults to any call. */
  readonly operation?: StubOperation;
}

interface Scheduled {
  readonly fault: StubFault;
  readonly operation: StubOperation | undefined;
  remaining: number;
}

interface Rated {
  readonly fault: StubFault;
  readonly operation: StubOperation | undefined;
  readonly rate: number;
}

/** Invalid fault instructions (from the control API). */
export class StubFaultError extends Error {}

/**
 * The faults planned for the calls to come: faults for the next calls (taken first, in order), then
 * faults applied at a rate, sampled with the stub's `Random`.
 */
export class FaultPlan {
  private readonly scheduled: Scheduled[] = [];
  private readonly rated: Rated[] = [];

  constructor(private readonly random: Random) {}

  /** `fault` for the next `times` matching calls. */
  next(fault: StubFault, times: number, scope: FaultScope): void {
    checkFault(fault);
    if (!Number.isInteger(times) || times < 1) throw new StubFaultError('times must be a positive integer');
    this.scheduled.push({ fault, operation: operationOf(scope), remaining: times });
  }

  /** `fault` for a share `rate` (0…1) of matching calls, until cleared. */
  rate(fault: StubFault, rate: number, scope: FaultScope): void {
    checkFault(fault);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new StubFaultError('rate must be a number from 0 to 1');
    this.rated.push({ fault, operation: operationOf(scope), rate });
  }

  clear(): void {
    this.scheduled.length = 0;
    this.rated.length = 0;
  }

  /** The fault for a call of `operation`, if any (consuming a scheduled one). */
  take(operation: StubOperation): StubFault | undefined {
    const index = this.scheduled.findIndex((entry) => entry.operation === undefined || entry.operation === operation);
    const scheduled = this.scheduled[index];
    if (scheduled !== undefined) {
      scheduled.remaining -= 1;
      if (scheduled.remaining === 0) this.scheduled.splice(index, 1);
      return scheduled.fault;
    }
    for (const entry of this.rated) {
      if ((entry.operation === undefined || entry.operation === operation) && this.random.next() < entry.rate) return entry.fault;
    }
    return undefined;
  }
}

function operationOf(scope: FaultScope): StubOperation | undefined {
  const operation = scope.operation;
  if (operation !== undefined && !STUB_OPERATIONS.includes(operation)) throw new StubFaultError(`operation must be one of ${STUB_OPERATIONS.join(', ')}`);
  return operation;
}

function checkFault(fault: StubFault): void {
  switch (fault?.kind) {
    case 'error':
      if (![429, 500, 502, 503, 504].includes(fault.status)) throw new StubFaultError('an error fault has a status of 429, 500, 502, 503 or 504');
      return;
    case 'delay':
      if (!Number.isInteger(fault.ms) || fault.ms < 0) throw new StubFaultError('a delay fault has a whole number of ms');
      return;
    case 'hold':
      return;
    case 'drop':
      if (fault.mode !== undefined && fault.mode !== 'truncate' && fault.mode !== 'reset') throw new StubFaultError('a drop fault has mode "truncate" or "reset"');
      return;
    default:
      throw new StubFaultError('a fault has kind "error", "delay", "hold" or "drop"');
  }
}

/** Requests waiting on a `hold` or `delay` fault. */
export class WaitingRequests {
  private readonly waiting = new Set<{ release: (go: boolean) => void; held: boolean }>();
  private readonly watchers: { count: number; resolve: () => void }[] = [];

  /** Resolves true when released (or when the delay ends), false when the stub closes first. */
  hold(): Promise<boolean> {
    return this.wait(true, undefined);
  }

  delay(ms: number): Promise<boolean> {
    return this.wait(false, ms);
  }

  /** Resolves once at least `count` requests are held. */
  whenHeld(count: number): Promise<void> {
    if (this.heldCount() >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  heldCount(): number {
    return [...this.waiting].filter((entry) => entry.held).length;
  }

  /** Releases every held request; returns how many. */
  release(): number {
    const held = [...this.waiting].filter((entry) => entry.held);
    for (const entry of held) entry.release(true);
    return held.length;
  }

  /** Abandons every waiting request (the stub is closing). */
  abandon(): void {
    for (const entry of [...this.waiting]) entry.release(false);
  }

  private wait(held: boolean, ms: number | undefined): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const entry = {
        held,
        release: (go: boolean): void => {
          if (timer !== undefined) clearTimeout(timer);
          this.waiting.delete(entry);
          resolve(go);
        },
      };
      this.waiting.add(entry);
      if (ms !== undefined) timer = setTimeout(() => entry.release(true), ms);
      if (held) this.notify();
    });
  }

  private notify(): void {
    const count = this.heldCount();
    for (const watcher of [...this.watchers]) {
      if (count >= watcher.count) {
        this.watchers.splice(this.watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  }
}
