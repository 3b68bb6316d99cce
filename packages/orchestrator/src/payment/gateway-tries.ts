import type { GatewayType } from '@aegispay/domain';

/** Why the last try did not end the payment: what a final failure reports. */
export interface TryFailure {
  readonly code: string;
  readonly reason: string;
  readonly gateway: GatewayType;
}

/**
 * The gateways a payment is tried at, in turn: the ranked candidates, again from the top once the
 * list is exhausted, until `maxAttempts` calls were sent or `maxTries` tries made. A gateway whose
 * breaker refuses is skipped without a call (it still uses up a try), so refusals are cheap and
 * never counted as calls a gateway saw.
 */
export class GatewayTries {
  private tries = 0;
  private sent = 0;
  private failure: TryFailure | null = null;

  constructor(
    private readonly candidates: readonly GatewayType[],
    private readonly limits: { readonly maxTries: number; readonly maxAttempts: number },
    private readonly permits: (gateway: GatewayType) => boolean,
  ) {}

  /** The next gateway to send to, or `null` when the limits are reached. Skipped refusals are remembered as the last failure. */
  next(): GatewayType | null {
    while (this.candidates.length > 0 && this.tries < this.limits.maxTries && this.sent < this.limits.maxAttempts) {
      const gateway = this.candidates[this.tries % this.candidates.length] as GatewayType;
      this.tries += 1;
      if (this.permits(gateway)) return gateway;
      this.failure = { code: 'RESILIENCE.CIRCUIT_OPEN', reason: `the circuit breaker of ${gateway} refused the call`, gateway };
    }
    return null;
  }

  /** Tries made so far (the one under way included): the backoff before the next one grows with it. */
  get made(): number {
    return this.tries;
  }

  /** Calls that reached (or may have reached) a gateway. */
  get calls(): number {
    return this.sent;
  }

  /** Counts a call the gateway saw, or may have seen. */
  countCall(): void {
    this.sent += 1;
  }

  /** Remembers why a try did not end the payment. */
  fail(failure: TryFailure): void {
    this.failure = failure;
  }

  /** The code and sentence of the payment's failure once no gateway is left. */
  exhausted(): { readonly code: string; readonly reason: string; readonly gateway: GatewayType | null } {
    const last = this.failure;
    if (last === null) return { code: 'ALL_GATEWAYS_FAILED', reason: 'No gateway could be called.', gateway: null };
    return {
      code: this.sent > 0 ? 'ALL_GATEWAYS_FAILED' : last.code,
      reason: `No gateway processed the payment after ${this.sent} attempt(s); last: ${last.reason} (${last.code}).`,
      gateway: last.gateway,
    };
  }
}
