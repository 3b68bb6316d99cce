/// <reference types="jest" />
import { Money } from '../money/money';
import type { PaymentMethod } from '../payment/payment-method';
import type { ChargeApproved, ChargeRequest, ChargeResult, RefundRequest } from '../ports/payment-gateway.port';
import type { PaymentGatewayContractFactory, PaymentGatewayContractSubject } from './payment-gateway.contract-subject';
import {
  announce,
  answer,
  followRefund,
  refundAndSettle,
  settle,
  settledRefundStatus,
  settledStatus,
  violation,
  type SettleOptions,
} from './payment-gateway.contract-support';

/** Options of {@link paymentGatewayContract}. */
export interface PaymentGatewayContractOptions {
  /** Amount of each charge, in minor units of the subject's currency. Defaults to 10 000 (100.00). */
  readonly amountMinor?: number;
  /** How far past `subject.now()` the requests' deadlines lie, in ms. Defaults to 300 000 (5 minutes). */
  readonly deadlineMs?: number;
  /**
   * How many lookups the contract makes while an outcome is still `PENDING` or `UNKNOWN` before it
   * calls the case failed. Defaults to 20.
   */
  readonly settleAttempts?: number;
  /** How far `advance` moves time between those lookups, when the subject has it, in ms. Defaults to 1 000. */
  readonly settleStepMs?: number;
}

const CONCURRENT_DUPLICATES = 5;
/** A deadline that is passed on purpose: short, then `advance`d beyond. */
const SHORT_DEADLINE_MS = 1_000;

let suites = 0;

/**
 * The contract every `PaymentGateway` adapter passes: the one suite run by the simulated
 * acquirers, the chaos wrapper, test doubles and every real connector (over its PSP stub). It
 * drives the gateway through the port only, and checks what happened through the subject's own
 * ledger, faults and time (see `PaymentGatewayContractSubject`).
 *
 * Cases that need time to pass a deadline run only when the subject has `advance`; the
 * customer-action case only when it offers `methods.requiresAction`. Each skipped case prints one
 * line saying why. What each case demands, and why, is in the domain README ("Gateway contract").
 *
 * @param name shown in the suite's title.
 * @param factory builds a fresh subject (an empty ledger) for each test; the suite disposes of it.
 */
export function paymentGatewayContract(name: string, factory: PaymentGatewayContractFactory, options: PaymentGatewayContractOptions = {}): void {
  const amountMinor = options.amountMinor ?? 10_000;
  const deadlineMs = options.deadlineMs ?? 300_000;
  const settling: SettleOptions = { attempts: options.settleAttempts ?? 20, stepMs: options.settleStepMs ?? 1_000 };
  const suite = (suites += 1);

  describe(`PaymentGateway contract: ${name}`, () => {
    let subject: PaymentGatewayContractSubject | undefined;
    let test = 0;

    beforeEach(async () => {
      test += 1;
      subject = await factory();
    });
    afterEach(async () => {
      const done = subject;
      subject = undefined;
      await done?.dispose();
    });

    const the = (): PaymentGatewayContractSubject => {
      if (subject === undefined) throw new Error(`${name}: the contract subject was not built`);
      return subject;
    };
    const ref = (label: string): string => `gc${suite}t${test}-${label}`;
    const money = (minor: number): Money => Money.of(minor, the().currency);
    const chargeOf = (method: PaymentMethod, label = 'charge', overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
      reference: ref(label),
      paymentId: `pay_gc${suite}t${test}`,
      merchantId: 'merchant_contract',
      amount: money(amountMinor),
      paymentMethod: method,
      customerId: 'customer_contract',
      deadline: the().now() + deadlineMs,
      ...overrides,
    });
    const refundOf = (charge: ChargeRequest, approved: ChargeApproved, minor: number, label: string, overrides: Partial<RefundRequest> = {}): RefundRequest => ({
      reference: ref(label),
      chargeReference: approved.gatewayReference,
      paymentId: charge.paymentId,
      amount: money(minor),
      reason: 'contract',
      deadline: the().now() + deadlineMs,
      ...overrides,
    });
    const charges = async (reference: string): Promise<number> => (await the().ledger(reference)).charges;
    const refunded = async (reference: string): Promise<number> => (await the().ledger(reference)).refundedMinor;
    const approvedCharge = async (label = 'charge'): Promise<{ request: ChargeRequest; result: ChargeApproved }> => {
      const request = chargeOf(the().methods.approve, label);
      const result = await answer(the().gateway.charge(request));
      if (result.outcome !== 'APPROVED') violation(`methods.approve must be approved (charge ${request.reference})`, result);
      return { request, result };
    };
    /** An approved charge and a refund of 30 % of it, not sent yet, due `deadlineInMs` from then (the suite's `deadlineMs` by default). */
    const chargeToRefund = async (deadlineInMs = deadlineMs): Promise<{ request: ChargeRequest; refund: RefundRequest }> => {
      const { request, result } = await approvedCharge();
      return { request, refund: refundOf(request, result, Math.floor(amountMinor * 0.3), 'refund', { deadline: the().now() + deadlineInMs }) };
    };
    /**
     * What `build` makes (a request due `SHORT_DEADLINE_MS` from now), once time has moved past its
     * deadline; undefined, after printing why the case is skipped, when the subject cannot move time.
     */
    const pastDeadline = async <T>(what: string, build: () => T | Promise<T>): Promise<T | undefined> => {
      const advance = timeControl(what);
      if (advance === undefined) return undefined;
      const built = await build();
      await advance(SHORT_DEADLINE_MS + 1);
      return built;
    };
    /** The subject's `advance`, or undefined after printing why the case is skipped. */
    const timeControl = (what: string): ((ms: number) => Promise<void>) | undefined => {
      const advance = the().advance?.bind(the());
      if (advance !== undefined) return advance;
      announce(`PaymentGateway contract: ${name}: "${what}" skipped: the subject has no advance(), so no deadline can be passed on purpose.`);
      return undefined;
    };

    describe('.charge', () => {
      describe('when the payment method is approved', () => {
        it('should answer APPROVED with the gateway reference of the charge, and charge once', async () => {
          const { request, result } = await approvedCharge();

          expect(typeof result.gatewayReference).toBe('string');
          expect(result.gatewayReference.length).toBeGreaterThan(0);
          if (result.fee !== undefined) expect(result.fee.currencyCode).toBe(the().currency);
          expect(await charges(request.reference)).toBe(1);
        });
      });

      describe.each([
        ['for good', 'HARD', 'hardDecline'],
        ['for now', 'SOFT', 'softDecline'],
      ] as const)('when the issuer refuses %s', (_when, declineType, method) => {
        it(`should answer DECLINED ${declineType} with a decline code, and charge nothing`, async () => {
          const request = chargeOf(the().methods[method]);

          const result = await answer(the().gateway.charge(request));

          expect(result).toMatchObject({ outcome: 'DECLINED', declineType });
          expect(typeof (result as { declineCode?: unknown }).declineCode).toBe('string');
          expect((result as { declineCode: string }).declineCode.length).toBeGreaterThan(0);
          expect(await charges(request.reference)).toBe(0);
        });
      });

      describe('when the customer must act first (3-D Secure, a redirect)', () => {
        it('should answer REQUIRES_ACTION with a NextAction, charge nothing, and say the same on replay and lookup', async () => {
          const method = the().methods.requiresAction;
          if (method === undefined) {
            announce(`PaymentGateway contract: ${name}: "REQUIRES_ACTION" skipped: the subject offers no methods.requiresAction.`);
            return;
          }
          const request = chargeOf(method);

          const result = await answer(the().gateway.charge(request));

          if (result.outcome !== 'REQUIRES_ACTION') return violation('methods.requiresAction must answer REQUIRES_ACTION', result);
          expect(result.gatewayReference.length).toBeGreaterThan(0);
          expect(['REDIRECT', 'SDK']).toContain(result.action.type);
          if (result.action.type === 'REDIRECT') expect(typeof result.action.url).toBe('string');
          else expect(typeof result.action.data).toBe('object');
          expect(await charges(request.reference)).toBe(0);
          expect(await answer(the().gateway.charge(request))).toEqual(result);
          const status = await answer(the().gateway.getStatus({ reference: request.reference, request }));
          if (status.status === 'REQUIRES_ACTION') expect(status.gatewayReference).toBe(result.gatewayReference);
          else if (status.status !== 'PENDING') violation('a charge waiting for the customer is REQUIRES_ACTION (or PENDING) on lookup', status);
          expect(await charges(request.reference)).toBe(0);
        });
      });

      describe('when the same reference is sent again', () => {
        it('should answer the first approval again and charge once', async () => {
          const { request, result } = await approvedCharge();

          const again = await answer(the().gateway.charge(request));

          expect(again).toEqual(result);
          expect(await charges(request.reference)).toBe(1);
        });

        it('should answer the first decline again and charge nothing', async () => {
          const request = chargeOf(the().methods.softDecline);
          const first = await answer(the().gateway.charge(request));

          const again = await answer(the().gateway.charge(request));

          expect(again).toEqual(first);
          expect(await charges(request.reference)).toBe(0);
        });
      });

      describe('when duplicates of one reference arrive at once', () => {
        it('should give them one answer (or say it is still deciding), and charge once', async () => {
          const request = chargeOf(the().methods.approve);

          const answers = await Promise.all(Array.from({ length: CONCURRENT_DUPLICATES }, () => settle(the().gateway.charge(request))));

          const approvals: ChargeResult[] = [];
          for (const settled of answers) {
            if (settled.kind === 'ANSWER' && settled.value.outcome === 'APPROVED') approvals.push(settled.value);
            else if (settled.kind === 'ANSWER' && (settled.value.outcome === 'PENDING' || settled.value.outcome === 'UNKNOWN')) continue;
            else if (settled.kind === 'THROWN' && settled.error.mayHaveBeenSent) continue;
            else violation('a duplicate of a charge in progress must not claim that nothing was charged (TECHNICAL_FAILURE or "not sent" would let the caller charge elsewhere)', settled);
          }
          expect(approvals.length).toBeGreaterThan(0);
          for (const approval of approvals) expect(approval).toEqual(approvals[0]);
          expect(await charges(request.reference)).toBe(1);
          expect(await answer(the().gateway.charge(request))).toEqual(approvals[0]);
        });
      });

      describe('when the call fails before the gateway decides', () => {
        it('should not claim an outcome, charge nothing, and let a retry with the same reference charge once', async () => {
          const request = chargeOf(the().methods.approve);
          the().faults.failNextCall();

          const failed = await settle(the().gateway.charge(request));

          if (failed.kind === 'ANSWER') {
            if (failed.value.outcome === 'TECHNICAL_FAILURE') {
              expect(failed.value.errorCode.length).toBeGreaterThan(0);
              expect(typeof failed.value.retryable).toBe('boolean');
            } else if (failed.value.outcome !== 'UNKNOWN') {
              violation('a call that failed before the gateway decided answers TECHNICAL_FAILURE (or UNKNOWN), never an outcome', failed.value);
            }
          }
          expect(await charges(request.reference)).toBe(0);
          const retried = await answer(the().gateway.charge(request));
          expect(retried.outcome).toBe('APPROVED');
          expect(await charges(request.reference)).toBe(1);
          expect(await answer(the().gateway.charge(request))).toEqual(retried);
        });
      });

      describe('when the answer is lost after the gateway charged', () => {
        it('should leave the caller unsure, and getStatus with the original request should tell the truth: one charge', async () => {
          const request = chargeOf(the().methods.approve);
          the().faults.loseNextAnswer();

          const lost = await settle(the().gateway.charge(request));

          if (lost.kind === 'ANSWER' && lost.value.outcome !== 'UNKNOWN') {
            violation('a charge whose answer was lost is UNKNOWN to the caller (or a thrown error that may have been sent)', lost.value);
          }
          if (lost.kind === 'THROWN' && !lost.error.mayHaveBeenSent) {
            violation('an answer lost after the charge must not be reported as "not sent": the caller would charge elsewhere', lost.error);
          }
          const status = await settledStatus(the(), { reference: request.reference, request }, settling);
          if (status.status !== 'APPROVED') return violation('getStatus with the original request must learn the approval', status);
          expect(status.amount.amount).toBe(request.amount.amount);
          expect(status.amount.currencyCode).toBe(request.amount.currencyCode);
          expect(await charges(request.reference)).toBe(1);
          const replayed = await answer(the().gateway.charge(request));
          expect(replayed).toMatchObject({ outcome: 'APPROVED', gatewayReference: status.gatewayReference });
          expect(await charges(request.reference)).toBe(1);
        });
      });

      describe('when the signal is already aborted', () => {
        it('should reject and charge nothing', async () => {
          const request = chargeOf(the().methods.approve);
          const reason = new Error('contract: the caller gave up before calling');
          const controller = new AbortController();
          controller.abort(reason);

          const settled = await settle(the().gateway.charge(request, controller.signal), reason);

          if (settled.kind === 'ANSWER') violation('a charge called with an aborted signal must reject, not be sent', settled.value);
          expect(await charges(request.reference)).toBe(0);
        });
      });

      describe('when the signal aborts while the call is in flight', () => {
        it('should settle at once (no waiting on the gateway), and a replay of the reference should charge once', async () => {
          const request = chargeOf(the().methods.approve);
          const reason = new Error('contract: the caller gave up');
          const controller = new AbortController();
          const before = the().now();
          const call = the().gateway.charge(request, controller.signal);
          controller.abort(reason);

          const settled = await settle(call, reason);

          if (the().advance !== undefined) expect(the().now()).toBe(before);
          if (settled.kind === 'ANSWER' && settled.value.outcome !== 'APPROVED') {
            violation('a call that answered before its abort answers the truth', settled.value);
          }
          if (settled.kind === 'THROWN' && !settled.error.mayHaveBeenSent) expect(await charges(request.reference)).toBe(0);
          expect(await charges(request.reference)).toBeLessThanOrEqual(1);
          const replayed = await answer(the().gateway.charge(request));
          expect(replayed.outcome).toBe('APPROVED');
          if (settled.kind === 'ANSWER') expect(replayed).toEqual(settled.value);
          expect(await charges(request.reference)).toBe(1);
        });
      });

      describe('when the request arrives after its deadline', () => {
        it('should not act on it: nothing charged, and the reference stays unknown', async () => {
          const request = await pastDeadline('a charge arriving after its deadline', () => chargeOf(the().methods.approve, 'charge', { deadline: the().now() + SHORT_DEADLINE_MS }));
          if (request === undefined) return;

          const late = await settle(the().gateway.charge(request));

          if (late.kind === 'ANSWER' && late.value.outcome !== 'TECHNICAL_FAILURE' && late.value.outcome !== 'UNKNOWN') {
            violation('a request that arrives after its deadline is not acted on: TECHNICAL_FAILURE (or UNKNOWN, or a transport error)', late.value);
          }
          expect(await charges(request.reference)).toBe(0);
          const status = await answer(the().gateway.getStatus({ reference: request.reference, request }));
          expect(['NOT_FOUND', 'UNKNOWN']).toContain(status.status);
          expect(await charges(request.reference)).toBe(0);
        });
      });
    });

    describe('.getStatus', () => {
      describe('when the charge was approved', () => {
        it('should answer APPROVED with its gateway reference and amount', async () => {
          const { request, result } = await approvedCharge();

          const status = await answer(the().gateway.getStatus({ reference: request.reference, request, gatewayReference: result.gatewayReference }));

          expect(status).toMatchObject({ status: 'APPROVED', gatewayReference: result.gatewayReference });
          if (status.status === 'APPROVED') expect(status.amount.amount).toBe(amountMinor);
        });

        it('should never deny it when asked with less (the reference alone, or with the gateway reference)', async () => {
          const { request, result } = await approvedCharge();

          for (const query of [{ reference: request.reference }, { reference: request.reference, gatewayReference: result.gatewayReference }]) {
            const status = await answer(the().gateway.getStatus(query));
            if (status.status === 'APPROVED') expect(status.gatewayReference).toBe(result.gatewayReference);
            else if (status.status !== 'UNKNOWN' && status.status !== 'PENDING') {
              violation('a lookup that cannot find an approved charge with what it was given answers UNKNOWN, never another outcome or NOT_FOUND', { query, status });
            }
          }
          expect(await charges(request.reference)).toBe(1);
        });
      });

      describe('when the charge was declined', () => {
        it('should answer DECLINED with the same code and type', async () => {
          const request = chargeOf(the().methods.hardDecline);
          const declined = await answer(the().gateway.charge(request));
          if (declined.outcome !== 'DECLINED') return violation('methods.hardDecline must be declined', declined);

          const status = await answer(the().gateway.getStatus({ reference: request.reference, request }));

          expect(status).toEqual({ status: 'DECLINED', declineCode: declined.declineCode, declineType: declined.declineType });
          expect(await charges(request.reference)).toBe(0);
        });
      });

      describe('when the reference was never sent and its deadline is still ahead', () => {
        it('should not answer NOT_FOUND (the request could still land), and a lookup that resolved it by replay should have charged once', async () => {
          const request = chargeOf(the().methods.approve);

          const status = await answer(the().gateway.getStatus({ reference: request.reference, request }));

          if (status.status === 'NOT_FOUND') violation('NOT_FOUND before the deadline: a request still in transit could be charged after the caller charged elsewhere', status);
          if (status.status !== 'APPROVED' && status.status !== 'PENDING' && status.status !== 'UNKNOWN') {
            violation('a lookup of a charge never sent answers UNKNOWN or PENDING, or the outcome of the one charge a replay made', status);
          }
          expect(await charges(request.reference)).toBeLessThanOrEqual(1);
          const charged = await answer(the().gateway.charge(request));
          expect(charged.outcome).toBe('APPROVED');
          if (status.status === 'APPROVED') expect(charged).toMatchObject({ gatewayReference: status.gatewayReference });
          expect(await charges(request.reference)).toBe(1);
        });
      });

      describe('when the reference was never sent and its deadline has passed', () => {
        it('should answer NOT_FOUND (or UNKNOWN) and charge nothing, even by replay', async () => {
          const request = await pastDeadline('a lookup past the deadline of a charge never sent', () => chargeOf(the().methods.approve, 'charge', { deadline: the().now() + SHORT_DEADLINE_MS }));
          if (request === undefined) return;

          const status = await answer(the().gateway.getStatus({ reference: request.reference, request }));

          expect(['NOT_FOUND', 'UNKNOWN']).toContain(status.status);
          expect(await charges(request.reference)).toBe(0);
        });
      });

      describe('when the lookup itself fails or its answer is lost', () => {
        it('should answer UNKNOWN or throw a transport error, never NOT_FOUND or another outcome', async () => {
          const { request, result } = await approvedCharge();

          for (const fault of ['failNextCall', 'loseNextAnswer'] as const) {
            the().faults[fault]();
            const settled = await settle(the().gateway.getStatus({ reference: request.reference, request }));
            if (settled.kind === 'ANSWER' && settled.value.status !== 'UNKNOWN') {
              if (settled.value.status !== 'APPROVED') violation(`a lookup that failed (${fault}) answers UNKNOWN or throws`, settled.value);
              expect(settled.value.gatewayReference).toBe(result.gatewayReference);
            }
          }
          expect(await answer(the().gateway.getStatus({ reference: request.reference, request }))).toMatchObject({ status: 'APPROVED' });
          expect(await charges(request.reference)).toBe(1);
        });

        it('should not report a lookup that may have charged by replay as "not sent"', async () => {
          const request = chargeOf(the().methods.approve);
          the().faults.loseNextAnswer();

          const settled = await settle(the().gateway.getStatus({ reference: request.reference, request }));

          if (settled.kind === 'ANSWER' && settled.value.status === 'NOT_FOUND') violation('NOT_FOUND before the deadline', settled.value);
          if (settled.kind === 'THROWN' && !settled.error.mayHaveBeenSent) expect(await charges(request.reference)).toBe(0);
          expect(await charges(request.reference)).toBeLessThanOrEqual(1);
          expect((await answer(the().gateway.charge(request))).outcome).toBe('APPROVED');
          expect(await charges(request.reference)).toBe(1);
        });
      });
    });

    describe('.refund', () => {
      describe('when the charge is refunded in two parts', () => {
        it('should refund each part, up to the whole amount', async () => {
          const { request, result } = await approvedCharge();
          const part = Math.floor(amountMinor * 0.3);

          const first = await refundAndSettle(the(), refundOf(request, result, part, 'refund-1'), settling);
          const second = await refundAndSettle(the(), refundOf(request, result, amountMinor - part, 'refund-2'), settling);

          expect(first.settled.outcome).toBe('REFUNDED');
          expect(second.settled.outcome).toBe('REFUNDED');
          expect(await refunded(request.reference)).toBe(amountMinor);
          expect(await charges(request.reference)).toBe(1);
        });
      });

      describe('when the whole charge is refunded at once', () => {
        it('should refund it all', async () => {
          const { request, result } = await approvedCharge();

          const refund = await refundAndSettle(the(), refundOf(request, result, amountMinor, 'refund'), settling);

          expect(refund.settled).toMatchObject({ outcome: 'REFUNDED' });
          expect((refund.settled as { gatewayReference?: string }).gatewayReference?.length).toBeGreaterThan(0);
          expect(await refunded(request.reference)).toBe(amountMinor);
        });
      });

      describe('when more is asked than is left to refund', () => {
        it('should refuse more than the charge (REJECTED) and move nothing', async () => {
          const { request, result } = await approvedCharge();

          const refund = await refundAndSettle(the(), refundOf(request, result, amountMinor + 1, 'refund'), settling);

          expect(refund.settled.outcome).toBe('REJECTED');
          expect((refund.settled as { code: string }).code.length).toBeGreaterThan(0);
          expect(await refunded(request.reference)).toBe(0);
        });

        it('should refuse more than what earlier refunds left, and keep those', async () => {
          const { request, result } = await approvedCharge();
          const part = Math.floor(amountMinor * 0.3);
          await refundAndSettle(the(), refundOf(request, result, part, 'refund-1'), settling);

          const refund = await refundAndSettle(the(), refundOf(request, result, amountMinor - part + 1, 'refund-2'), settling);

          expect(refund.settled.outcome).toBe('REJECTED');
          expect(await refunded(request.reference)).toBe(part);
        });

        it('should never let refunds arriving together take more than the charge', async () => {
          const { request, result } = await approvedCharge();
          const part = Math.floor(amountMinor * 0.6);

          const refunds = [refundOf(request, result, part, 'refund-1'), refundOf(request, result, part, 'refund-2')];

          const both = await Promise.all(refunds.map((refund) => settle(the().gateway.refund(refund))));

          let refundedAnswers = 0;
          for (const [index, settled] of both.entries()) {
            if (settled.kind !== 'ANSWER') continue;
            const outcome = (await followRefund(the(), refunds[index] as RefundRequest, settled.value, settling)).settled;
            if (outcome.outcome === 'REFUNDED') refundedAnswers += 1;
            else if (outcome.outcome !== 'REJECTED' && outcome.outcome !== 'TECHNICAL_FAILURE') {
              violation('refunds arriving together settle as REFUNDED or REJECTED (or fail before the gateway decided)', outcome);
            }
          }
          expect(refundedAnswers).toBeLessThanOrEqual(1);
          expect(await refunded(request.reference)).toBe(refundedAnswers * part);
        });
      });

      describe('when the same refund reference is sent again', () => {
        it('should answer the first refund again and refund once', async () => {
          const { request, refund } = await chargeToRefund();
          const first = await refundAndSettle(the(), refund, settling);

          const again = await refundAndSettle(the(), refund, settling);

          expect(again.settled).toEqual(first.settled);
          if (first.first.outcome !== 'PENDING') expect(again.first).toEqual(first.first);
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });

      describe('when the call fails before the gateway decides', () => {
        it('should not claim an outcome, refund nothing, and let a retry with the same reference refund once', async () => {
          const { request, refund } = await chargeToRefund();
          the().faults.failNextCall();

          const failed = await settle(the().gateway.refund(refund));

          if (failed.kind === 'ANSWER' && failed.value.outcome !== 'TECHNICAL_FAILURE' && failed.value.outcome !== 'UNKNOWN') {
            violation('a refund that failed before the gateway decided answers TECHNICAL_FAILURE (or UNKNOWN), never an outcome', failed.value);
          }
          expect(await refunded(request.reference)).toBe(0);
          const retried = await refundAndSettle(the(), refund, settling);
          expect(retried.settled.outcome).toBe('REFUNDED');
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });

      describe('when the answer is lost after the gateway refunded', () => {
        it('should leave the caller unsure, and getRefundStatus with the original request should tell the truth: one refund', async () => {
          const { request, refund } = await chargeToRefund();
          the().faults.loseNextAnswer();

          const lost = await settle(the().gateway.refund(refund));

          if (lost.kind === 'ANSWER' && lost.value.outcome !== 'UNKNOWN') violation('a refund whose answer was lost is UNKNOWN to the caller (or a thrown error that may have been sent)', lost.value);
          if (lost.kind === 'THROWN' && !lost.error.mayHaveBeenSent) violation('an answer lost after the refund must not be reported as "not sent"', lost.error);
          const status = await settledRefundStatus(the(), refund, undefined, settling);
          if (status.status !== 'REFUNDED') return violation('getRefundStatus with the original request must learn the refund', status);
          expect(status.amount.amount).toBe(refund.amount.amount);
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
          const replayed = await refundAndSettle(the(), refund, settling);
          expect(replayed.settled).toEqual({ outcome: 'REFUNDED', gatewayReference: status.gatewayReference });
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });

      describe('when the refund arrives after its deadline', () => {
        it('should not act on it: nothing refunded', async () => {
          const expired = await pastDeadline('a refund arriving after its deadline', () => chargeToRefund(SHORT_DEADLINE_MS));
          if (expired === undefined) return;
          const { request, refund } = expired;

          const late = await settle(the().gateway.refund(refund));

          if (late.kind === 'ANSWER' && (late.value.outcome === 'REFUNDED' || late.value.outcome === 'PENDING')) {
            violation('a refund that arrives after its deadline is not acted on', late.value);
          }
          expect(await refunded(request.reference)).toBe(0);
          const status = await answer(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));
          expect(['NOT_FOUND', 'UNKNOWN', 'REJECTED']).toContain(status.status);
          expect(await refunded(request.reference)).toBe(0);
        });
      });
    });

    describe('.getRefundStatus', () => {
      describe('when the refund was made', () => {
        it('should answer REFUNDED with its gateway reference and amount, and never deny it when asked with the reference alone', async () => {
          const { request, refund } = await chargeToRefund();
          const made = await refundAndSettle(the(), refund, settling);
          if (made.settled.outcome !== 'REFUNDED') return violation('a refund within the charge is REFUNDED', made.settled);

          const status = await answer(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));
          const alone = await answer(the().gateway.getRefundStatus({ reference: refund.reference }));

          expect(status).toMatchObject({ status: 'REFUNDED', gatewayReference: made.settled.gatewayReference });
          if (status.status === 'REFUNDED') expect(status.amount.amount).toBe(refund.amount.amount);
          if (alone.status !== 'REFUNDED' && alone.status !== 'UNKNOWN') violation('a lookup that cannot find a refund with the reference alone answers UNKNOWN', alone);
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });

      describe('when the refund was refused', () => {
        it('should answer REJECTED', async () => {
          const { request, result } = await approvedCharge();
          const refund = refundOf(request, result, amountMinor + 1, 'refund');
          await refundAndSettle(the(), refund, settling);

          const status = await answer(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));

          expect(status.status).toBe('REJECTED');
          expect(await refunded(request.reference)).toBe(0);
        });
      });

      describe('when the gateway accepted the refund to settle it later', () => {
        it('should answer PENDING until it settles, then its outcome', async () => {
          const { request, refund } = await chargeToRefund();

          const followed = await refundAndSettle(the(), refund, settling);

          if (followed.first.outcome !== 'PENDING') {
            announce(`PaymentGateway contract: ${name}: "PENDING refunds" not exercised: the gateway settled the refund at once (${followed.first.outcome}).`);
          }
          expect(followed.settled.outcome).toBe('REFUNDED');
          const status = await answer(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));
          expect(status.status).toBe('REFUNDED');
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });

      describe('when the refund was never sent and its deadline is still ahead', () => {
        it('should not answer NOT_FOUND, and a lookup that resolved it by replay should have refunded once', async () => {
          const { request, refund } = await chargeToRefund();

          const status = await answer(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));

          if (status.status === 'NOT_FOUND') violation('NOT_FOUND before the deadline: a refund still in transit could land later', status);
          if (status.status === 'REJECTED') violation('a refund within the charge, never sent, cannot have been refused', status);
          expect(await refunded(request.reference)).toBeLessThanOrEqual(refund.amount.amount);
          const made = await refundAndSettle(the(), refund, settling);
          expect(made.settled.outcome).toBe('REFUNDED');
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });

      describe('when the refund was never sent and its deadline has passed', () => {
        it('should answer NOT_FOUND (or UNKNOWN) and refund nothing, even by replay', async () => {
          const expired = await pastDeadline('a refund lookup past the deadline of a refund never sent', () => chargeToRefund(SHORT_DEADLINE_MS));
          if (expired === undefined) return;
          const { request, refund } = expired;

          const status = await answer(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));

          expect(['NOT_FOUND', 'UNKNOWN']).toContain(status.status);
          expect(await refunded(request.reference)).toBe(0);
        });
      });

      describe('when the lookup itself fails or its answer is lost', () => {
        it('should answer UNKNOWN or throw a transport error, never NOT_FOUND or another outcome', async () => {
          const { request, refund } = await chargeToRefund();
          const made = await refundAndSettle(the(), refund, settling);

          for (const fault of ['failNextCall', 'loseNextAnswer'] as const) {
            the().faults[fault]();
            const settled = await settle(the().gateway.getRefundStatus({ reference: refund.reference, request: refund }));
            if (settled.kind === 'ANSWER' && settled.value.status !== 'UNKNOWN') {
              if (settled.value.status !== 'REFUNDED') violation(`a refund lookup that failed (${fault}) answers UNKNOWN or throws`, settled.value);
              expect(settled.value.gatewayReference).toBe((made.settled as { gatewayReference?: string }).gatewayReference);
            }
          }
          expect(await refunded(request.reference)).toBe(refund.amount.amount);
        });
      });
    });
  });
}
