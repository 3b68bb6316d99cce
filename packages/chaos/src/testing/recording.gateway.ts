import {
  SystemClock,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type Clock,
  type GatewayType,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from '@aegispay/domain';

/** Options of {@link RecordingGateway}. */
export interface RecordingGatewayOptions {
  /** Defaults to `STRIPE`. */
  readonly name?: GatewayType;
  /** Clock for `latencyMs`. Defaults to the system clock. */
  readonly clock?: Clock;
  /** How long each call takes, ms of the clock. Defaults to 0. */
  readonly latencyMs?: number;
  /** Decides the result of a first charge of a reference. Defaults to approving it. */
  readonly decide?: (request: ChargeRequest) => ChargeResult;
}

/**
 * An in-memory gateway for tests and experiments that behaves like a real idempotent acquirer:
 * the first charge of a reference decides (approves by default), a repeated reference returns
 * the first result without charging again, and every call is recorded so tests can check that
 * nobody was charged twice.
 */
export class RecordingGateway implements PaymentGateway {
  readonly name: GatewayType;
  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly decide: (request: ChargeRequest) => ChargeResult;
  private readonly results = new Map<string, { request: ChargeRequest; result: ChargeResult }>();
  private readonly attempts = new Map<string, number>();
  private readonly refunds = new Map<string, { request: RefundRequest; result: RefundResult & { outcome: 'REFUNDED' } }>();
  private sequence = 0;
  private statusLookups = 0;

  constructor(options: RecordingGatewayOptions = {}) {
    this.name = options.name ?? 'STRIPE';
    this.clock = options.clock ?? new SystemClock();
    this.latencyMs = options.latencyMs ?? 0;
    this.decide =
      options.decide ?? (() => ({ outcome: 'APPROVED', gatewayReference: `${this.name.toLowerCase()}_ch_${++this.sequence}` }));
  }

  /** Charges once per reference; a repeated reference gets the first result back and is not charged again. */
  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    this.attempts.set(request.reference, (this.attempts.get(request.reference) ?? 0) + 1);
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const previous = this.results.get(request.reference);
    if (previous !== undefined) return previous.result;
    const result = this.decide(request);
    this.results.set(request.reference, { request, result });
    return result;
  }

  /** Refunds once per refund reference (always succeeds). */
  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const previous = this.refunds.get(request.reference);
    if (previous !== undefined) return previous.result;
    const result = { outcome: 'REFUNDED', gatewayReference: `${this.name.toLowerCase()}_re_${++this.sequence}` } as const;
    this.refunds.set(request.reference, { request, result });
    return result;
  }

  /** What this gateway knows about a charge reference: its decision, or `NOT_FOUND`. */
  async getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    this.statusLookups += 1;
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const entry = this.results.get(query.reference);
    if (entry === undefined) return { status: 'NOT_FOUND' };
    const { result, request } = entry;
    switch (result.outcome) {
      case 'APPROVED':
        return { status: 'APPROVED', gatewayReference: result.gatewayReference, amount: request.amount };
      case 'DECLINED':
        return { status: 'DECLINED', declineCode: result.declineCode, declineType: result.declineType };
      case 'TECHNICAL_FAILURE':
        return { status: 'NOT_FOUND' };
      case 'UNKNOWN':
      case 'PENDING':
        return { status: 'PENDING' };
      case 'REQUIRES_ACTION':
        return { status: 'REQUIRES_ACTION', gatewayReference: result.gatewayReference, action: result.action };
    }
  }

  /** What this gateway knows about a refund reference: `REFUNDED`, or `NOT_FOUND`. */
  async getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    this.statusLookups += 1;
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const entry = this.refunds.get(query.reference);
    if (entry === undefined) return { status: 'NOT_FOUND' };
    return { status: 'REFUNDED', gatewayReference: entry.result.gatewayReference, amount: entry.request.amount };
  }

  /** How many times `charge` was called with `reference`. */
  attemptsFor(reference: string): number {
    return this.attempts.get(reference) ?? 0;
  }

  /** Calls of `charge`, all references. */
  get chargeCalls(): number {
    let total = 0;
    for (const n of this.attempts.values()) total += n;
    return total;
  }

  /** Calls of `getStatus` and `getRefundStatus`. */
  get statusCalls(): number {
    return this.statusLookups;
  }

  /** References approved (money taken), each once. */
  approvedReferences(): string[] {
    return [...this.results].filter(([, entry]) => entry.result.outcome === 'APPROVED').map(([reference]) => reference);
  }

  /** Number of successful refunds. */
  get refundCount(): number {
    return this.refunds.size;
  }
}
