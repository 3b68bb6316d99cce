import {
  GatewayTransportError,
  Money,
  type Clock,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type ChargeTechnicalFailure,
  type GatewayType,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from '@aegispay/domain';

/**
 * What a {@link ScriptedGateway} does with one charge.
 *
 * - `APPROVE`, `DECLINE_HARD`, `DECLINE_SOFT`: answers so (and records it).
 * - `FAIL`: a `TECHNICAL_FAILURE` result; nothing charged.
 * - `THROW_BEFORE`: throws a transport error that was certainly not sent (connection refused); nothing charged.
 * - `THROW_AFTER`: charges, then throws (the answer was lost).
 * - `UNKNOWN_AFTER`: charges, then answers `UNKNOWN`.
 * - `HANG_AFTER`: charges, then never answers until the caller's signal aborts.
 * - `HANG_BEFORE`: never answers until the caller's signal aborts; nothing charged.
 * - `ARRIVE_LATE`: the request spends `transitMs` in transit (the caller's abort does not stop
 *   it, as on a real network), then is processed like `APPROVE` — unless it arrives after the
 *   request's `deadline`, when it is refused and not recorded, as the gateway contract requires —
 *   and the answer spends `transitMs` travelling back.
 */
export type ScriptedBehaviour =
  | 'APPROVE'
  | 'DECLINE_HARD'
  | 'DECLINE_SOFT'
  | 'FAIL'
  | 'THROW_BEFORE'
  | 'THROW_AFTER'
  | 'UNKNOWN_AFTER'
  | 'HANG_AFTER'
  | 'HANG_BEFORE'
  | 'ARRIVE_LATE';

/** One charge the gateway holds, keyed by reference. */
export interface ScriptedCharge {
  readonly reference: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly outcome: 'APPROVED' | 'DECLINED';
  readonly gatewayReference: string;
  readonly declineCode?: string;
  readonly declineType?: 'HARD' | 'SOFT';
  refunded: number;
}

/** The transport error a {@link ScriptedGateway} throws: connection refused (not sent) or reset after sending. */
export class ScriptedTransportError extends GatewayTransportError {
  constructor(gateway: string, mayHaveBeenSent: boolean) {
    super(`${gateway}: connection ${mayHaveBeenSent ? 'reset after the request was sent' : 'refused'}`, { gateway, mayHaveBeenSent }, 'TEST.TRANSPORT');
  }
}

/** What a request arriving after its deadline is answered: refused unrecorded, as the gateway contract requires. */
const EXPIRED: ChargeTechnicalFailure = Object.freeze({ outcome: 'TECHNICAL_FAILURE', errorCode: 'REQUEST_EXPIRED', retryable: true });

/**
 * A test gateway that follows a script, one behaviour per charge (then `defaultBehaviour`; charges
 * by a payment method token given to {@link byToken} follow that token's behaviour), and keeps an
 * honest ledger: the same reference is never charged twice, `getStatus` tells the truth (unless
 * told it cannot answer), refunds never exceed the charge, a request arriving after its deadline
 * is refused unrecorded (given a clock), and a reference never received is `NOT_FOUND` only when
 * that is final. It passes the domain's gateway contract.
 */
export class ScriptedGateway implements PaymentGateway {
  private readonly queue: ScriptedBehaviour[] = [];
  private readonly byTokens = new Map<string, ScriptedBehaviour>();
  private readonly ledger = new Map<string, ScriptedCharge>();
  private readonly refundsByReference = new Map<string, { readonly request: RefundRequest; readonly result: RefundResult }>();
  private statusAvailable = true;
  private notFoundAtOnce = false;
  private refundBehaviour: 'REFUND' | 'REJECT' | 'FAIL' = 'REFUND';
  /** Charges received, whatever became of them. */
  chargeCalls = 0;
  /** Status checks received. */
  statusCalls = 0;
  /** Requests that arrived after their deadline and were refused. */
  expiredArrivals = 0;
  private transitMs = 0;

  constructor(
    readonly name: GatewayType,
    private defaultBehaviour: ScriptedBehaviour = 'APPROVE',
    private readonly clock?: Clock,
  ) {}

  /** How long an `ARRIVE_LATE` request travels (needs the clock given to the constructor). */
  setTransitMs(ms: number): this {
    this.transitMs = ms;
    return this;
  }

  /** Queues behaviours for the next charges. */
  script(...behaviours: ScriptedBehaviour[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** Charges whose payment method token is `token` follow `behaviour`, whatever the script says. */
  byToken(token: string, behaviour: ScriptedBehaviour): this {
    this.byTokens.set(token, behaviour);
    return this;
  }

  /** Sets what charges do once the script is used up. */
  always(behaviour: ScriptedBehaviour): this {
    this.defaultBehaviour = behaviour;
    return this;
  }

  /** While false, `getStatus` answers `UNKNOWN` (the gateway is unreachable). */
  setStatusAvailable(available: boolean): this {
    this.statusAvailable = available;
    return this;
  }

  /**
   * Makes lookups of a reference never received answer `NOT_FOUND` at once, even while the request
   * may still arrive — a gateway breaking the contract, to test that callers do not trust such an
   * answer before the deadline.
   */
  answerNotFoundAtOnce(): this {
    this.notFoundAtOnce = true;
    return this;
  }

  /** What the next refunds do. */
  setRefundBehaviour(behaviour: 'REFUND' | 'REJECT' | 'FAIL'): this {
    this.refundBehaviour = behaviour;
    return this;
  }

  /** Every charge held, in arrival order. */
  charges(): readonly ScriptedCharge[] {
    return [...this.ledger.values()];
  }

  /** Approved charges of one payment. */
  approvedChargesOf(paymentId: string): readonly ScriptedCharge[] {
    return this.charges().filter((charge) => charge.paymentId === paymentId && charge.outcome === 'APPROVED');
  }

  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    signal?.throwIfAborted();
    this.chargeCalls += 1;
    const existing = this.ledger.get(request.reference);
    if (existing !== undefined) return answerOf(existing);
    if (this.expired(request.deadline)) return EXPIRED;
    const behaviour = this.byTokens.get(request.paymentMethod.token) ?? this.queue.shift() ?? this.defaultBehaviour;
    switch (behaviour) {
      case 'APPROVE':
      case 'DECLINE_HARD':
      case 'DECLINE_SOFT':
        return answerOf(this.book(request, behaviour));
      case 'FAIL':
        return { outcome: 'TECHNICAL_FAILURE', errorCode: 'HTTP_503', retryable: true, message: 'service unavailable' };
      case 'THROW_BEFORE':
        throw new ScriptedTransportError(this.name, false);
      case 'THROW_AFTER':
        this.book(request, 'APPROVE');
        throw new ScriptedTransportError(this.name, true);
      case 'UNKNOWN_AFTER':
        this.book(request, 'APPROVE');
        return { outcome: 'UNKNOWN', reason: 'connection dropped after sending' };
      case 'HANG_AFTER':
        this.book(request, 'APPROVE');
        return hangUntilAborted(signal);
      case 'HANG_BEFORE':
        return hangUntilAborted(signal);
      case 'ARRIVE_LATE': {
        const clock = this.clock as Clock;
        const arrival = clock.sleep(this.transitMs).then(async (): Promise<ChargeResult> => {
          if (this.expired(request.deadline)) return EXPIRED;
          const answer = answerOf(this.ledger.get(request.reference) ?? this.book(request, 'APPROVE'));
          await clock.sleep(this.transitMs); // the answer travels back as long
          return answer;
        });
        return raceAbort(arrival, signal);
      }
    }
  }

  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    signal?.throwIfAborted();
    const previous = this.refundsByReference.get(request.reference);
    if (previous !== undefined) return previous.result;
    if (this.expired(request.deadline)) return EXPIRED;
    if (this.refundBehaviour === 'FAIL') return { outcome: 'TECHNICAL_FAILURE', errorCode: 'HTTP_500', retryable: true };
    const charge = [...this.ledger.values()].find((entry) => entry.gatewayReference === request.chargeReference);
    let result: RefundResult;
    if (this.refundBehaviour === 'REJECT' || charge === undefined || charge.outcome !== 'APPROVED') {
      result = { outcome: 'REJECTED', code: 'charge_not_refundable' };
    } else if (charge.refunded + request.amount.amount > charge.amount) {
      result = { outcome: 'REJECTED', code: 'amount_exceeds_charge' };
    } else {
      charge.refunded += request.amount.amount;
      result = { outcome: 'REFUNDED', gatewayReference: `re_${this.name}_${this.refundsByReference.size + 1}` };
    }
    this.refundsByReference.set(request.reference, { request, result });
    return result;
  }

  async getStatus(query: ChargeStatusQuery): Promise<ChargeStatusResult> {
    this.statusCalls += 1;
    if (!this.statusAvailable) return { status: 'UNKNOWN', reason: `${this.name} is unreachable` };
    const charge = this.ledger.get(query.reference);
    if (charge === undefined) return this.unseen(query);
    if (charge.outcome === 'DECLINED') return { status: 'DECLINED', declineCode: charge.declineCode ?? 'declined', declineType: charge.declineType ?? 'HARD' };
    return { status: 'APPROVED', gatewayReference: charge.gatewayReference, amount: Money.of(charge.amount, charge.currency) };
  }

  /** What became of a refund: its stored answer, or what {@link getStatus} says of a reference never received (refunds are applied on arrival). */
  async getRefundStatus(query: RefundStatusQuery): Promise<RefundStatusResult> {
    this.statusCalls += 1;
    if (!this.statusAvailable) return { status: 'UNKNOWN', reason: `${this.name} is unreachable` };
    const entry = this.refundsByReference.get(query.reference);
    if (entry === undefined) return this.unseen(query);
    const { result, request } = entry;
    if (result.outcome === 'REFUNDED') return { status: 'REFUNDED', gatewayReference: result.gatewayReference, amount: request.amount };
    if (result.outcome === 'REJECTED') return { status: 'REJECTED', code: result.code };
    return { status: 'NOT_FOUND' };
  }

  /** Whether a request with `deadline` arrives too late (counted); never without a clock. */
  private expired(deadline: number | undefined): boolean {
    if (deadline === undefined || this.clock === undefined || this.clock.now() <= deadline) return false;
    this.expiredArrivals += 1;
    return true;
  }

  /**
   * A lookup of a reference never received: `NOT_FOUND` by reference alone (the caller vouches it
   * can no longer arrive) or once the deadline of the request it carries has passed; `UNKNOWN`
   * while that request may still arrive (or without a clock to tell).
   */
  private unseen(query: ChargeStatusQuery | RefundStatusQuery): { readonly status: 'NOT_FOUND' } | { readonly status: 'UNKNOWN'; readonly reason: string } {
    const deadline = query.request === undefined || this.notFoundAtOnce ? undefined : (query.request.deadline ?? Number.POSITIVE_INFINITY);
    if (deadline === undefined || (this.clock !== undefined && this.clock.now() > deadline)) return { status: 'NOT_FOUND' };
    return { status: 'UNKNOWN', reason: `${this.name} has not received ${query.reference}; it may still arrive until its deadline` };
  }

  private book(request: ChargeRequest, behaviour: 'APPROVE' | 'DECLINE_HARD' | 'DECLINE_SOFT'): ScriptedCharge {
    const approved = behaviour === 'APPROVE';
    const charge: ScriptedCharge = {
      reference: request.reference,
      paymentId: request.paymentId,
      amount: request.amount.amount,
      currency: request.amount.currencyCode,
      outcome: approved ? 'APPROVED' : 'DECLINED',
      gatewayReference: `ch_${this.name}_${this.ledger.size + 1}`,
      ...(approved ? {} : { declineCode: behaviour === 'DECLINE_HARD' ? 'stolen_card' : 'insufficient_funds', declineType: behaviour === 'DECLINE_HARD' ? 'HARD' : 'SOFT' }),
      refunded: 0,
    } as ScriptedCharge;
    this.ledger.set(request.reference, charge);
    return charge;
  }
}

function answerOf(charge: ScriptedCharge): ChargeResult {
  return charge.outcome === 'APPROVED'
    ? { outcome: 'APPROVED', gatewayReference: charge.gatewayReference }
    : { outcome: 'DECLINED', declineCode: charge.declineCode ?? 'declined', declineType: charge.declineType ?? 'HARD' };
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return Promise.race([work, hangUntilAborted(signal)]);
}

function hangUntilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
