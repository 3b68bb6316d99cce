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
  type ChargeTechnicalFailure,
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
import {
  DECLINE_CODES,
  APPROVE_TOKEN_PREFIX,
  DECLINE_TOKEN_PREFIX,
  DEFAULT_DECLINE_MIX,
  isKnownDeclineCode,
  type DeclineMixEntry,
} from '../simulation/decline-codes';
import { FeeSchedule } from '../simulation/fee-schedule';
import { LogNormalLatency } from '../simulation/latency-distribution';
import {
  CONNECTION_RESET,
  DEFAULT_TECHNICAL_FAILURE_MIX,
  SERVICE_UNAVAILABLE,
  type TechnicalFailureMixEntry,
} from '../simulation/technical-failures';
import { WeightedTable } from '../simulation/weighted-table';
import { raceAbort } from './abort';
import { assertChargeRequest, assertIdentifier, assertRefundRequest, chargeDifferences, refundDifferences } from './request-validation';
import type {
  DegradeOptions,
  DownMode,
  GatewayAvailability,
  GatewayCallStats,
  GatewayControlState,
  SimulatedGatewayOptions,
} from './simulated-gateway.options';

const UNAVAILABLE: ChargeTechnicalFailure = Object.freeze({
  outcome: 'TECHNICAL_FAILURE',
  errorCode: SERVICE_UNAVAILABLE,
  retryable: true,
  message: '503 Service Unavailable: the gateway is down; nothing was processed.',
});
const RESET: ChargeTechnicalFailure = Object.freeze({
  outcome: 'TECHNICAL_FAILURE',
  errorCode: CONNECTION_RESET,
  retryable: true,
  message: 'The connection was reset: the gateway dropped the request unprocessed.',
});
const EXPIRED: ChargeTechnicalFailure = Object.freeze({
  outcome: 'TECHNICAL_FAILURE',
  errorCode: 'REQUEST_EXPIRED',
  retryable: true,
  message: 'The request arrived after its deadline and was not processed.',
});
const STATUS_UNAVAILABLE = Object.freeze({ status: 'UNKNOWN', reason: SERVICE_UNAVAILABLE } as const);
const STATUS_RESET = Object.freeze({ status: 'UNKNOWN', reason: CONNECTION_RESET } as const);
const NOT_FOUND = Object.freeze({ status: 'NOT_FOUND' } as const);
const NOT_RECEIVED_YET = Object.freeze({
  status: 'UNKNOWN',
  reason: 'NOT_RECEIVED_YET: the gateway has not received this reference; the request may still arrive until its deadline.',
} as const);
const PENDING: ChargeStatusResult = Object.freeze({ status: 'PENDING' });

/** How one call's latency divides (internal). */
interface Legs {
  readonly request: number;
  readonly processing: number;
  readonly response: number;
}

const NO_WAIT: Legs = Object.freeze({ request: 0, processing: 0, response: 0 });

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
  private readonly requestShare: number;
  private readonly responseShare: number;
  private readonly baseApprovalRate: number;
  private readonly baseTechnicalFailureRate: number;
  private readonly chargePrefix: string;
  private readonly refundPrefix: string;
  private readonly declines: WeightedTable<DeclineMixEntry>;
  private readonly declineResults: ReadonlyMap<DeclineMixEntry, ChargeDeclined>;
  private readonly failures: WeightedTable<TechnicalFailureMixEntry>;
  private readonly failureResults: ReadonlyMap<TechnicalFailureMixEntry, ChargeTechnicalFailure>;
  private readonly ledger: ChargeLedger;
  private readonly swallowed = new Set<() => void>();

  private approvalRate: number;
  private technicalFailureRate: number;
  private extraLatencyMs = 0;
  private availability: GatewayAvailability = 'UP';
  private stats = { charges: 0, refunds: 0, statusChecks: 0, technicalFailures: 0, unavailable: 0, blackholed: 0, replays: 0, expired: 0 };

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` naming the first option that is out of range or malformed. */
  constructor(options: SimulatedGatewayOptions) {
    check.object('options', options, {} as SimulatedGatewayOptions);
    this.name = check.string('name', options.name, undefined);
    this.clock = check.port<Clock>('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']);
    this.random = check.port<Random>('random', options.random, () => new CryptoRandom(), ['next']);
    this.ids = check.port<IdGenerator>('ids', options.ids, () => new CryptoIdGenerator(), ['generate']);
    this.baseApprovalRate = this.approvalRate = check.rate('approvalRate', options.approvalRate, 1);
    this.baseTechnicalFailureRate = this.technicalFailureRate = check.rate('technicalFailureRate', options.technicalFailureRate, 0);

    const latency = check.object('latency', options.latency, { medianMs: 0, p95Ms: 0 });
    this.latency = new LogNormalLatency(latency, 'latency');
    this.requestShare = check.rate('latency.requestShare', latency.requestShare, 0.15);
    this.responseShare = check.rate('latency.responseShare', latency.responseShare, 0.15);
    if (this.requestShare + this.responseShare > 1) {
      throw check.invalid(
        'latency.responseShare',
        `must leave requestShare + responseShare ≤ 1 (requestShare is ${this.requestShare})`,
        this.responseShare,
      );
    }
    this.fees = new FeeSchedule(options.fees ?? {}, 'fees');
    this.chargePrefix = check.string('chargePrefix', options.chargePrefix, 'ch');
    this.refundPrefix = check.string('refundPrefix', options.refundPrefix, 're');

    this.declines = new WeightedTable('declineMix', options.declineMix, DEFAULT_DECLINE_MIX);
    this.declineResults = new Map(
      this.declines.entries.map((entry, index) => {
        check.string(`declineMix[${index}].code`, entry.code, undefined);
        check.oneOf(`declineMix[${index}].declineType`, entry.declineType, undefined, ['HARD', 'SOFT']);
        return [entry, declined(entry.code, entry.declineType, entry.message)];
      }),
    );
    this.failures = new WeightedTable('technicalFailureMix', options.technicalFailureMix, DEFAULT_TECHNICAL_FAILURE_MIX);
    this.failureResults = new Map(
      this.failures.entries.map((entry, index) => {
        check.string(`technicalFailureMix[${index}].errorCode`, entry.errorCode, undefined);
        check.boolean(`technicalFailureMix[${index}].retryable`, entry.retryable, undefined);
        const result: ChargeTechnicalFailure = Object.freeze({
          outcome: 'TECHNICAL_FAILURE',
          errorCode: entry.errorCode,
          retryable: entry.retryable,
          ...(entry.message === undefined ? {} : { message: entry.message }),
        });
        return [entry, result];
      }),
    );
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
    check.object('changes', changes, {});
    const approvalRate = check.rate('approvalRate', changes.approvalRate, this.approvalRate);
    const technicalFailureRate = check.rate('technicalFailureRate', changes.technicalFailureRate, this.technicalFailureRate);
    this.approvalRate = approvalRate;
    this.technicalFailureRate = technicalFailureRate;
  }

  /** Puts the approval and technical failure rates back to the profile's. */
  restoreRates(): void {
    this.approvalRate = this.baseApprovalRate;
    this.technicalFailureRate = this.baseTechnicalFailureRate;
  }

  /**
   * Adds `ms` to the latency of every call made from now on (cumulative: two calls of 100 add
   * 200), split across the legs like the rest.
   *
   * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when `ms` is negative or not finite.
   */
  addLatency(ms: number): void {
    this.extraLatencyMs += check.number('ms', ms, 0, { min: 0 });
  }

  /** Removes every latency added by {@link addLatency}. */
  removeLatency(): void {
    this.extraLatencyMs = 0;
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
    check.oneOf('mode', mode, undefined, ['FAST_FAIL', 'BLACKHOLE']);
    this.availability = mode;
    if (mode !== 'BLACKHOLE') this.releaseSwallowed();
  }

  /**
   * Brings the gateway back up. Calls swallowed by a blackhole are answered at once with a
   * `CONNECTION_RESET` technical failure (status: `UNKNOWN`): they were never processed.
   */
  bringUp(): void {
    this.availability = 'UP';
    this.releaseSwallowed();
  }

  /** Undoes every run-time control: rates, added latency, availability. The ledger is kept. */
  reset(): void {
    this.restoreRates();
    this.removeLatency();
    this.bringUp();
  }

  /** What the run-time controls are set to now. */
  getControlState(): GatewayControlState {
    return Object.freeze({
      availability: this.availability,
      approvalRate: this.approvalRate,
      technicalFailureRate: this.technicalFailureRate,
      extraLatencyMs: this.extraLatencyMs,
    });
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

  private legs(draw: number): Legs {
    const total = this.latency.quantile(draw) + this.extraLatencyMs;
    if (total <= 0) return NO_WAIT;
    const request = Math.round(total * this.requestShare);
    const response = Math.min(Math.round(total * this.responseShare), total - request);
    return { request, processing: total - request - response, response };
  }

  private receiveCharge(
    request: ChargeRequest,
    failureDraw: number,
    outcomeDraw: number,
    processingMs: number,
    signal: AbortSignal | undefined,
  ): ChargeResult | Promise<ChargeResult> {
    if (this.availability === 'FAST_FAIL') {
      this.stats.unavailable += 1;
      return UNAVAILABLE;
    }
    if (this.availability === 'BLACKHOLE') return this.swallow(RESET, signal);

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
    if (failureDraw < this.technicalFailureRate) {
      this.stats.technicalFailures += 1;
      return this.failureResults.get(this.failures.pick(failureDraw / this.technicalFailureRate)) as ChargeTechnicalFailure;
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
    } else if (draw < this.approvalRate || paymentMethod.token.startsWith(APPROVE_TOKEN_PREFIX)) {
      result = Object.freeze({
        outcome: 'APPROVED',
        gatewayReference: this.ids.generate(this.chargePrefix),
        fee: this.fees.feeFor(amount),
      });
    } else {
      const entry = this.declines.pick((draw - this.approvalRate) / (1 - this.approvalRate));
      result = this.declineResults.get(entry) as ChargeDeclined;
    }
    this.ledger.decide(charge, result, this.clock.now());
    return result;
  }

  private receiveRefund(request: RefundRequest, failureDraw: number, signal: AbortSignal | undefined): RefundResult | Promise<RefundResult> {
    if (this.availability === 'FAST_FAIL') {
      this.stats.unavailable += 1;
      return UNAVAILABLE;
    }
    if (this.availability === 'BLACKHOLE') return this.swallow(RESET, signal);

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
    if (failureDraw < this.technicalFailureRate) {
      this.stats.technicalFailures += 1;
      return this.failureResults.get(this.failures.pick(failureDraw / this.technicalFailureRate)) as ChargeTechnicalFailure;
    }
    return this.ledger.refund(request, () => this.ids.generate(this.refundPrefix), this.clock.now());
  }

  private receiveStatus(reference: string, query: ChargeStatusQuery, signal: AbortSignal | undefined): ChargeStatusResult | Promise<ChargeStatusResult> {
    if (this.availability === 'FAST_FAIL') {
      this.stats.unavailable += 1;
      return STATUS_UNAVAILABLE;
    }
    if (this.availability === 'BLACKHOLE') return this.swallow(STATUS_RESET, signal);

    const charge = this.ledger.find(reference);
    if (charge === undefined) return this.unseen(query);
    const { result } = charge;
    if (result === null) return PENDING;
    if (result.outcome === 'DECLINED') {
      return Object.freeze({ status: 'DECLINED', declineCode: result.declineCode, declineType: result.declineType });
    }
    return Object.freeze({
      status: 'APPROVED',
      gatewayReference: result.gatewayReference,
      amount: charge.request.amount,
      ...(result.fee === undefined ? {} : { fee: result.fee }),
    });
  }

  private receiveRefundStatus(reference: string, query: RefundStatusQuery, signal: AbortSignal | undefined): RefundStatusResult | Promise<RefundStatusResult> {
    if (this.availability === 'FAST_FAIL') {
      this.stats.unavailable += 1;
      return STATUS_UNAVAILABLE;
    }
    if (this.availability === 'BLACKHOLE') return this.swallow<RefundStatusResult>(STATUS_RESET, signal);
    const refund = this.ledger.findRefund(reference);
    if (refund === undefined) return this.unseen(query);
    const { result, request } = refund;
    return result.outcome === 'REFUNDED'
      ? Object.freeze({ status: 'REFUNDED', gatewayReference: result.gatewayReference, amount: request.amount })
      : Object.freeze({ status: 'REJECTED', code: result.code, ...(result.message === undefined ? {} : { message: result.message }) });
  }

  /**
   * What a lookup of a reference the ledger never received answers. With the original request:
   * `NOT_FOUND` once its deadline has passed (it can no longer be acted on), `UNKNOWN` before that
   * or without a deadline (it may still be on its way). By reference alone the gateway cannot know
   * the deadline; it answers `NOT_FOUND`, trusting the caller that the request can no longer
   * arrive (`PaymentRecovery` asks so, long after it was sent).
   */
  private unseen(query: ChargeStatusQuery | RefundStatusQuery): typeof NOT_FOUND | typeof NOT_RECEIVED_YET {
    if (query.request === undefined) return NOT_FOUND;
    const { deadline } = query.request;
    return deadline !== undefined && this.clock.now() > deadline ? NOT_FOUND : NOT_RECEIVED_YET;
  }

  /** A request dropped unanswered: settles with `onRelease` when the gateway comes back, or rejects when `signal` aborts. */
  private swallow<T>(onRelease: T, signal: AbortSignal | undefined): Promise<T> {
    this.stats.blackholed += 1;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as unknown);
        return;
      }
      const onAbort = (): void => {
        this.swallowed.delete(release);
        reject(signal?.reason as unknown);
      };
      const release = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(onRelease);
      };
      this.swallowed.add(release);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaseSwallowed(): void {
    const waiting = [...this.swallowed];
    this.swallowed.clear();
    for (const release of waiting) release();
  }
}

function declined(code: string, declineType: 'HARD' | 'SOFT', message: string | undefined): ChargeDeclined {
  return Object.freeze({ outcome: 'DECLINED', declineCode: code, declineType, ...(message === undefined ? {} : { message }) });
}
