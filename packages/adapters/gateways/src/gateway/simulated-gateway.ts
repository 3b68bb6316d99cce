import {
  CryptoIdGenerator,
  CryptoRandom,
  SystemClock,
  type ChargeApproved,
  type ChargeDeclined,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type Clock,
  type GatewayType,
  type IdGenerator,
  type PaymentGateway,
  type Random,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from '@aegispay/domain';
import { ReferenceReusedError } from '../errors/gateway.errors';
import { ChargeLedger, type ChargeRecord } from '../ledger/charge-ledger';
import type { InspectableLedger, LedgerEntry } from '../ledger/ledger-entry';
import { summarizeLedger, type LedgerTotals } from '../ledger/ledger-totals';
import { check } from '../options/option-checks';
import { DECLINE_CODES, APPROVE_TOKEN_PREFIX, DECLINE_TOKEN_PREFIX, isKnownDeclineCode } from '../simulation/decline-codes';
import { FeeSchedule } from '../simulation/fee-schedule';
import type { LogNormalLatency } from '../simulation/latency-distribution';
import { CallLatency, type NetworkLegs } from '../simulation/call-latency';
import { declined, OutcomeMix } from '../simulation/outcome-mix';
import { raceAbort } from './abort';
import { GatewayControls } from './gateway-controls';
import { chargeStatusOf, EXPIRED, refundStatusOf, RESET, STATUS_RESET, STATUS_UNAVAILABLE, UNAVAILABLE, unseenAnswer } from './gateway-answers';
import { assertChargeRequest, assertIdentifier, assertRefundRequest, chargeDifferences, refundDifferences } from './request-validation';
import type {
  DegradeOptions,
  DownMode,
  GatewayCallStats,
  GatewayControlState,
  SimulatedGatewayOptions,
} from './simulated-gateway.options';

/**
 * A simulated payment gateway (acquirer) that behaves like a real one where it matters to an
 * orchestrator: seeded log-normal latency, approvals and hard/soft declines at configured rates,
 * retryable technical failures, fees, refunds, and an idempotent ledger that answers
 * `getStatus(reference)`.
 *
 * A charge takes three legs. The request travels (`latency.requestShare`); on arrival the charge
 * is written to the ledger as `PENDING`; the gateway processes it and writes its decision; the
 * response travels back (`latency.responseShare`). A signal that aborts before arrival means
 * nothing was charged: the call rejects with the signal's reason. A signal that aborts after
 * arrival only stops the caller waiting: the gateway finishes the charge, and `getStatus`
 * tells what happened. That is the unknown outcome an orchestrator must resolve.
 *
 * A repeated reference is answered with the first result and never charged again (a repeat that
 * arrives while the first is `PENDING` waits for its decision). A request that failed technically
 * before processing leaves no entry, so retrying its reference may go through.
 *
 * Every call draws from the `Random` in a fixed order when it is made (a charge three draws:
 * latency, technical failure, outcome; a refund two; a status check one), so a run with a seeded
 * `Random` and a virtual clock replays exactly. A zero latency schedules no timer at all.
 */
export class SimulatedGateway implements PaymentGateway, InspectableLedger {
  readonly name: GatewayType;
  /** The fee schedule of approved charges, also usable to estimate costs before routing. */
  readonly fees: FeeSchedule;
  /** The latency distribution of every call, before run-time additions. */
  readonly latency: LogNormalLatency;

  private readonly clock: Clock;
  private readonly random: Random;
  private readonly ids: IdGenerator;
  private readonly callLatency: CallLatency;
  private readonly chargePrefix: string;
  private readonly refundPrefix: string;
  private readonly outcomes: OutcomeMix;
  private readonly ledger: ChargeLedger;
  private readonly controls: GatewayControls;
  private stats = { charges: 0, refunds: 0, statusChecks: 0, technicalFailures: 0, unavailable: 0, blackholed: 0, replays: 0, expired: 0 };

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` naming the first option that is out of range or malformed. */
  constructor(options: SimulatedGatewayOptions) {
    check.object('options', options, {} as SimulatedGatewayOptions);
    this.name = check.string('name', options.name, undefined);
    this.clock = check.port<Clock>('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']);
    this.random = check.port<Random>('random', options.random, () => new CryptoRandom(), ['next']);
    this.ids = check.port<IdGenerator>('ids', options.ids, () => new CryptoIdGenerator(), ['generate']);
    this.controls = new GatewayControls(
      check.rate('approvalRate', options.approvalRate, 1),
      check.rate('technicalFailureRate', options.technicalFailureRate, 0),
    );

    this.callLatency = new CallLatency(options.latency);
    this.latency = this.callLatency.distribution;
    this.fees = new FeeSchedule(options.fees ?? {}, 'fees');
    this.chargePrefix = check.string('chargePrefix', options.chargePrefix, 'ch');
    this.refundPrefix = check.string('refundPrefix', options.refundPrefix, 're');

    this.outcomes = new OutcomeMix(options.declineMix, options.technicalFailureMix);
    this.ledger = new ChargeLedger(this.name);
  }

  /**
   * Charges `request.amount` once per `request.reference`.
   *
   * @returns `APPROVED` (with `gatewayReference` and `fee`), `DECLINED` (code and `HARD`/`SOFT`),
   *   or `TECHNICAL_FAILURE` (nothing charged, nothing recorded). Never `UNKNOWN`: an unknown
   *   outcome is what the caller sees when it stops waiting (`signal`) after the request arrived.
   * @throws InvalidGatewayRequestError when the request is malformed (an amount of zero…), before anything is sent.
   * @throws ReferenceReusedError when the reference was already used for a different charge.
   * @throws the signal's reason when `signal` aborts before the answer comes back.
   */
  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    assertChargeRequest(this.name, request);
    signal?.throwIfAborted();
    this.stats.charges += 1;
    const legs = this.legs(this.random.next());
    const failureDraw = this.random.next();
    const outcomeDraw = this.random.next();
    if (legs.request > 0) await this.clock.sleep(legs.request, signal);
    const answer = this.receiveCharge(request, failureDraw, outcomeDraw, legs.processing, signal);
    const result = answer instanceof Promise ? await answer : answer;
    if (legs.response > 0) await this.clock.sleep(legs.response, signal);
    return result;
  }

  /**
   * Refunds (part of) the approved charge whose `gatewayReference` is `request.chargeReference`,
   * once per `request.reference`. The refund is applied (or rejected) on arrival.
   *
   * @returns `REFUNDED`; `REJECTED` with a code (`charge_not_found`, `payment_mismatch`,
   *   `currency_mismatch`, `amount_exceeds_refundable`) when it would break the ledger; or
   *   `TECHNICAL_FAILURE` when it failed before processing (nothing refunded, retry safely).
   * @throws InvalidGatewayRequestError, ReferenceReusedError, or the signal's reason (see {@link charge}).
   */
  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    assertRefundRequest(this.name, request);
    signal?.throwIfAborted();
    this.stats.refunds += 1;
    const legs = this.legs(this.random.next());
    const failureDraw = this.random.next();
    if (legs.request > 0) await this.clock.sleep(legs.request, signal);
    const answer = this.receiveRefund(request, failureDraw, signal);
    const result = answer instanceof Promise ? await answer : answer;
    const rest = legs.processing + legs.response;
    if (rest > 0) await this.clock.sleep(rest, signal);
    return result;
  }

  /**
   * What the gateway knows about the charge `query.reference` (the idempotency reference, not the
   * gateway's own): `APPROVED`/`DECLINED` from the ledger, `PENDING` while it is being processed,
   * `NOT_FOUND` when it never arrived and cannot any more (nothing was charged; a `query.request`
   * still before its deadline is `UNKNOWN` instead), `UNKNOWN` while the gateway is down in
   * `FAST_FAIL` mode. In `BLACKHOLE` mode the call hangs like the others.
   *
   * @throws InvalidGatewayRequestError when `reference` is empty; the signal's reason when it aborts first.
   */
  async getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    const reference = query?.reference;
    assertIdentifier(this.name, reference, 'reference');
    signal?.throwIfAborted();
    this.stats.statusChecks += 1;
    const legs = this.legs(this.random.next());
    if (legs.request > 0) await this.clock.sleep(legs.request, signal);
    const answer = this.receiveStatus(reference, query, signal);
    const result = answer instanceof Promise ? await answer : answer;
    const rest = legs.processing + legs.response;
    if (rest > 0) await this.clock.sleep(rest, signal);
    return result;
  }

  /**
   * What the gateway knows about the refund `query.reference`: `REFUNDED` or `REJECTED` from the
   * ledger, `NOT_FOUND` when it never arrived (refunds past their deadline are refused unrecorded,
   * so that answer is final once the deadline has passed; a `query.request` still before its
   * deadline is `UNKNOWN` instead), `UNKNOWN` while the gateway is down in
   * `FAST_FAIL` mode. Refunds are applied on arrival, so there is no `PENDING`.
   *
   * @throws InvalidGatewayRequestError when `reference` is empty; the signal's reason when it aborts first.
   */
  async getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    const reference = query?.reference;
    assertIdentifier(this.name, reference, 'reference');
    signal?.throwIfAborted();
    this.stats.statusChecks += 1;
    const legs = this.legs(this.random.next());
    if (legs.request > 0) await this.clock.sleep(legs.request, signal);
    const answer = this.receiveRefundStatus(reference, query, signal);
    const result = answer instanceof Promise ? await answer : answer;
    const rest = legs.processing + legs.response;
    if (rest > 0) await this.clock.sleep(rest, signal);
    return result;
  }

  // ---- Run-time control -------------------------------------------------------------------

  /**
   * Changes the approval and/or technical failure rate until {@link restoreRates} (or
   * {@link reset}). Applies to charges decided from now on, including those already processing.
   *
   * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when a rate is outside [0, 1].
   */
  degrade(changes: DegradeOptions): void {
    this.controls.degrade(changes);
  }

  /** Puts the approval and technical failure rates back to the profile's. */
  restoreRates(): void {
    this.controls.restoreRates();
  }

  /**
   * Adds `ms` to the latency of every call made from now on (cumulative: two calls of 100 add
   * 200), split across the legs like the rest.
   *
   * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when `ms` is negative or not finite.
   */
  addLatency(ms: number): void {
    this.controls.addLatency(ms);
  }

  /** Removes every latency added by {@link addLatency}. */
  removeLatency(): void {
    this.controls.removeLatency();
  }

  /**
   * Takes the gateway down. `FAST_FAIL` (default): every call answers at once (after the network
   * legs) with `SERVICE_UNAVAILABLE`, status `UNKNOWN`. `BLACKHOLE`: every call is swallowed and
   * hangs until its signal aborts or the gateway is brought back. Charges already processing
   * finish (their decision is written to the ledger).
   *
   * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when `mode` is not a {@link DownMode}.
   */
  takeDown(mode: DownMode = 'FAST_FAIL'): void {
    this.controls.takeDown(mode);
  }

  /**
   * Brings the gateway back up. Calls swallowed by a blackhole are answered at once with a
   * `CONNECTION_RESET` technical failure (status: `UNKNOWN`): they were never processed.
   */
  bringUp(): void {
    this.controls.bringUp();
  }

  /** Undoes every run-time control: rates, added latency, availability. The ledger is kept. */
  reset(): void {
    this.restoreRates();
    this.removeLatency();
    this.bringUp();
  }

  /** What the run-time controls are set to now. */
  getControlState(): GatewayControlState {
    return this.controls.state();
  }

  // ---- Inspection ----------------------------------------------------------------------------

  /** Every charge recorded, in arrival order, as frozen snapshots. */
  getLedger(): readonly LedgerEntry[] {
    return this.ledger.entries();
  }

  /** The ledger entry of the charge `reference`, `undefined` when it never arrived. */
  getLedgerEntry(reference: string): LedgerEntry | undefined {
    return this.ledger.entry(reference);
  }

  /** Counts and money per currency of the ledger: charged, refunded, net, fees. */
  getTotals(): LedgerTotals {
    return summarizeLedger(this.name, this.ledger.entries());
  }

  /** Counters of the calls received, including those that leave no ledger entry. */
  getCallStats(): GatewayCallStats {
    return Object.freeze({ ...this.stats });
  }

  // ---- Internals ------------------------------------------------------------------------------

  private legs(draw: number): NetworkLegs {
    return this.callLatency.legs(draw, this.controls.extraLatencyMs);
  }

  private receiveCharge(
    request: ChargeRequest,
    failureDraw: number,
    outcomeDraw: number,
    processingMs: number,
    signal: AbortSignal | undefined,
  ): ChargeResult | Promise<ChargeResult> {
    const down = this.downAnswer<ChargeResult>(UNAVAILABLE, RESET, signal);
    if (down !== undefined) return down;

    const existing = this.ledger.find(request.reference);
    if (existing !== undefined) {
      const differences = chargeDifferences(existing.request, request);
      if (differences.length > 0) throw new ReferenceReusedError(this.name, 'charge', request.reference, differences);
      this.ledger.replayed(existing);
      this.stats.replays += 1;
      return existing.result ?? raceAbort(existing.decision as Promise<ChargeResult>, signal);
    }
    // The caller gave up on this request at its deadline: acting on it now could charge a payment
    // that is already being charged elsewhere. Refused and not recorded, so NOT_FOUND stays true.
    if (request.deadline !== undefined && this.clock.now() > request.deadline) {
      this.stats.expired += 1;
      return EXPIRED;
    }
    if (failureDraw < this.controls.technicalFailureRate) {
      this.stats.technicalFailures += 1;
      return this.outcomes.technicalFailure(failureDraw / this.controls.technicalFailureRate);
    }
    const charge = this.ledger.open(request, this.clock.now());
    if (processingMs <= 0) return this.decide(charge, outcomeDraw);
    // A sleep, not a background timer: with the system clock, a process awaiting this answer must not exit under it.
    charge.decision = this.clock.sleep(processingMs).then(() => this.decide(charge, outcomeDraw));
    return raceAbort(charge.decision, signal);
  }

  private decide(charge: ChargeRecord, draw: number): ChargeApproved | ChargeDeclined {
    const { amount, paymentMethod } = charge.request;
    let result: ChargeApproved | ChargeDeclined;
    const forced = paymentMethod.token.startsWith(DECLINE_TOKEN_PREFIX) ? paymentMethod.token.slice(DECLINE_TOKEN_PREFIX.length) : '';
    if (isKnownDeclineCode(forced)) {
      const known = DECLINE_CODES[forced];
      result = declined(forced, known.declineType, known.message);
    } else if (draw < this.controls.approvalRate || paymentMethod.token.startsWith(APPROVE_TOKEN_PREFIX)) {
      result = Object.freeze({
        outcome: 'APPROVED',
        gatewayReference: this.ids.generate(this.chargePrefix),
        fee: this.fees.feeFor(amount),
      });
    } else {
      result = this.outcomes.decline((draw - this.controls.approvalRate) / (1 - this.controls.approvalRate));
    }
    this.ledger.decide(charge, result, this.clock.now());
    return result;
  }

  private receiveRefund(request: RefundRequest, failureDraw: number, signal: AbortSignal | undefined): RefundResult | Promise<RefundResult> {
    const down = this.downAnswer<RefundResult>(UNAVAILABLE, RESET, signal);
    if (down !== undefined) return down;

    const existing = this.ledger.findRefund(request.reference);
    if (existing !== undefined) {
      const differences = refundDifferences(existing.request, request);
      if (differences.length > 0) throw new ReferenceReusedError(this.name, 'refund', request.reference, differences);
      return existing.result;
    }
    if (request.deadline !== undefined && this.clock.now() > request.deadline) {
      this.stats.expired += 1;
      return EXPIRED;
    }
    if (failureDraw < this.controls.technicalFailureRate) {
      this.stats.technicalFailures += 1;
      return this.outcomes.technicalFailure(failureDraw / this.controls.technicalFailureRate);
    }
    return this.ledger.refund(request, () => this.ids.generate(this.refundPrefix), this.clock.now());
  }

  private receiveStatus(reference: string, query: ChargeStatusQuery, signal: AbortSignal | undefined): ChargeStatusResult | Promise<ChargeStatusResult> {
    const down = this.downAnswer<ChargeStatusResult>(STATUS_UNAVAILABLE, STATUS_RESET, signal);
    if (down !== undefined) return down;

    const charge = this.ledger.find(reference);
    return charge === undefined ? unseenAnswer(query, this.clock) : chargeStatusOf(charge);
  }

  private receiveRefundStatus(reference: string, query: RefundStatusQuery, signal: AbortSignal | undefined): RefundStatusResult | Promise<RefundStatusResult> {
    const down = this.downAnswer<RefundStatusResult>(STATUS_UNAVAILABLE, STATUS_RESET, signal);
    if (down !== undefined) return down;
    const refund = this.ledger.findRefund(reference);
    return refund === undefined ? unseenAnswer(query, this.clock) : refundStatusOf(refund);
  }

  /**
   * The answer of a gateway that is down, `undefined` while it is up: `unavailable` at once in
   * `FAST_FAIL` mode; in `BLACKHOLE` mode, `reset` when the gateway comes back (see `GatewayControls.swallow`).
   */
  private downAnswer<T>(unavailable: T, reset: T, signal: AbortSignal | undefined): T | Promise<T> | undefined {
    const { availability } = this.controls;
    if (availability === 'UP') return undefined;
    if (availability === 'FAST_FAIL') {
      this.stats.unavailable += 1;
      return unavailable;
    }
    this.stats.blackholed += 1;
    return this.controls.swallow(reset, signal);
  }
}
