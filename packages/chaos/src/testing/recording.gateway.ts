import {
  SystemClock,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type ChargeTechnicalFailure,
  type Clock,
  type GatewayType,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from '@aegispay/domain';

/** What a request arriving after its deadline is answered. */
const EXPIRED: ChargeTechnicalFailure = Object.freeze({ outcome: 'TECHNICAL_FAILURE', errorCode: 'REQUEST_EXPIRED', retryable: true });

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
 * nobody was charged twice. It passes the domain's gateway contract: a technical failure records
 * nothing (a retry may go through), refunds never exceed what is left of an approved charge,
 * requests arriving after their deadline are refused unrecorded, a call with an aborted signal is
 * not made, and a reference never received is `NOT_FOUND` only when that is final.
 */
export class RecordingGateway implements PaymentGateway {
  readonly name: GatewayType;
  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly decide: (request: ChargeRequest) => ChargeResult;
  private readonly results = new Map<string, { request: ChargeRequest; result: ChargeResult; refundedMinor: number }>();
  private readonly attempts = new Map<string, number>();
  private readonly refunds = new Map<string, { request: RefundRequest; result: RefundResult }>();
  private sequence = 0;
  private statusLookups = 0;

  constructor(options: RecordingGatewayOptions = {}) {
    this.name = options.name ?? 'STRIPE';
    this.clock = options.clock ?? new SystemClock();
    this.latencyMs = options.latencyMs ?? 0;
    this.decide =
      options.decide ?? (() => ({ outcome: 'APPROVED', gatewayReference: `${this.name.toLowerCase()}_ch_${++this.sequence}` }));
  }

  /**
   * Charges once per reference; a repeated reference gets the first result back and is not charged
   * again. A `TECHNICAL_FAILURE` from `decide` is answered and not recorded; a request arriving
   * after its `deadline` is answered `REQUEST_EXPIRED` and not recorded.
   */
  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    signal?.throwIfAborted();
    this.attempts.set(request.reference, (this.attempts.get(request.reference) ?? 0) + 1);
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const previous = this.results.get(request.reference);
    if (previous !== undefined) return previous.result;
    if (this.expired(request.deadline)) return EXPIRED;
    const result = this.decide(request);
    if (result.outcome !== 'TECHNICAL_FAILURE') this.results.set(request.reference, { request, result, refundedMinor: 0 });
    return result;
  }

  /**
   * Refunds once per refund reference, within what is left of the approved charge it names
   * (`REJECTED` `charge_not_found`, `currency_mismatch` or `amount_exceeds_refundable` otherwise,
   * answered again on replay).
   */
  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    signal?.throwIfAborted();
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const previous = this.refunds.get(request.reference);
    if (previous !== undefined) return previous.result;
    if (this.expired(request.deadline)) return EXPIRED;
    const charge = [...this.results.values()].find(
      (entry) => entry.result.outcome === 'APPROVED' && entry.result.gatewayReference === request.chargeReference,
    );
    let result: RefundResult;
    if (charge === undefined) result = { outcome: 'REJECTED', code: 'charge_not_found' };
    else if (charge.request.amount.currencyCode !== request.amount.currencyCode) result = { outcome: 'REJECTED', code: 'currency_mismatch' };
    else if (charge.refundedMinor + request.amount.amount > charge.request.amount.amount) result = { outcome: 'REJECTED', code: 'amount_exceeds_refundable' };
    else {
      charge.refundedMinor += request.amount.amount;
      result = { outcome: 'REFUNDED', gatewayReference: `${this.name.toLowerCase()}_re_${++this.sequence}` };
    }
    this.refunds.set(request.reference, { request, result });
    return result;
  }

  /** What this gateway knows about a charge reference: its decision, or what {@link unseen} says of a reference never received. */
  async getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    signal?.throwIfAborted();
    this.statusLookups += 1;
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const entry = this.results.get(query.reference);
    if (entry === undefined) return this.unseen(query);
    const { result, request } = entry;
    switch (result.outcome) {
      case 'APPROVED':
        return { status: 'APPROVED', gatewayReference: result.gatewayReference, amount: request.amount };
      case 'DECLINED':
        return { status: 'DECLINED', declineCode: result.declineCode, declineType: result.declineType };
      case 'TECHNICAL_FAILURE':
      case 'UNKNOWN':
      case 'PENDING':
        return { status: 'PENDING' };
      case 'REQUIRES_ACTION':
        return { status: 'REQUIRES_ACTION', gatewayReference: result.gatewayReference, action: result.action };
    }
  }

  /** What this gateway knows about a refund reference: `REFUNDED` or `REJECTED`, or what {@link unseen} says of a reference never received. */
  async getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    signal?.throwIfAborted();
    this.statusLookups += 1;
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs, signal);
    const entry = this.refunds.get(query.reference);
    if (entry === undefined) return this.unseen(query);
    const { result, request } = entry;
    if (result.outcome === 'REFUNDED') return { status: 'REFUNDED', gatewayReference: result.gatewayReference, amount: request.amount };
    if (result.outcome === 'REJECTED') return { status: 'REJECTED', code: result.code };
    return { status: 'PENDING' };
  }

  /** Minor units refunded on the charge `reference` (0 when it was never approved). */
  refundedOf(reference: string): number {
    return this.results.get(reference)?.refundedMinor ?? 0;
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
    return [...this.refunds.values()].filter((entry) => entry.result.outcome === 'REFUNDED').length;
  }

  /** Whether a request with `deadline` arrives too late to be acted on. */
  private expired(deadline: number | undefined): boolean {
    return deadline !== undefined && this.clock.now() > deadline;
  }

  /**
   * A lookup of a reference never received: `NOT_FOUND` by reference alone (the caller vouches it
   * can no longer arrive) or once the deadline of the request it carries has passed; `UNKNOWN`
   * while that request may still arrive.
   */
  private unseen(query: ChargeStatusQuery | RefundStatusQuery): { readonly status: 'NOT_FOUND' } | { readonly status: 'UNKNOWN'; readonly reason: string } {
    if (query.request === undefined || this.expired(query.request.deadline)) return { status: 'NOT_FOUND' };
    return { status: 'UNKNOWN', reason: `${this.name} has not received ${query.reference}; it may still arrive until its deadline` };
  }
}
