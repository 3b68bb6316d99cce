import { AegisPayError } from '../errors/aegispay.error';
import { aPaidPayment, aPendingPayment, testPaymentDependencies } from '../testing';
import { Payment } from './payment.aggregate';
import { RefundExceedsCapturedError } from './payment.errors';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (AegisPayError.is(error)) return error.code;
    throw error;
  }
  throw new Error('expected an AegisPayError, nothing was thrown');
}

function aProcessingPayment(): Payment {
  const payment = aPendingPayment();
  payment.startProcessing();
  return payment;
}

describe(Payment, () => {
  describe('.beginAttempt', () => {
    describe('when no attempt is live', () => {
      it('should record the attempt IN_FLIGHT with its deadline, before anything is sent', () => {
        const payment = aProcessingPayment();

        const attempt = payment.beginAttempt({ gateway: 'STRIPE', reference: `${payment.id}:1`, deadline: 1_000 });

        expect(attempt).toMatchObject({ attemptNumber: 1, gateway: 'STRIPE', outcome: 'IN_FLIGHT', deadline: 1_000, latencyMs: 0 });
        expect(payment.liveAttempt).toBe(attempt);
      });
    });

    describe.each(['IN_FLIGHT', 'UNKNOWN', 'PENDING', 'REQUIRES_ACTION'] as const)('when an attempt is %s', (outcome) => {
      it('should refuse to start another, which could charge the customer twice', () => {
        const payment = aProcessingPayment();
        payment.beginAttempt({ gateway: 'STRIPE', reference: 'r1', deadline: 1_000 });
        if (outcome !== 'IN_FLIGHT') payment.settleAttempt('r1', { outcome, latencyMs: 5 });

        expect(codeOf(() => payment.beginAttempt({ gateway: 'ADYEN', reference: 'r2', deadline: 2_000 }))).toBe('PAYMENT.ATTEMPT_LIVE');
        expect(codeOf(() => payment.recordAttempt({ gateway: 'ADYEN', reference: 'r2', outcome: 'APPROVED', latencyMs: 1 }))).toBe('PAYMENT.ATTEMPT_LIVE');
        expect(payment.attempts).toHaveLength(1);
      });
    });

    describe('when the reference was used by an earlier attempt', () => {
      it('should refuse it', () => {
        const payment = aProcessingPayment();
        payment.beginAttempt({ gateway: 'STRIPE', reference: 'r1', deadline: 1_000 });
        payment.settleAttempt('r1', { outcome: 'TECHNICAL_FAILURE', latencyMs: 5, errorCode: 'HTTP_503' });

        expect(codeOf(() => payment.beginAttempt({ gateway: 'ADYEN', reference: 'r1', deadline: 2_000 }))).toBe('PAYMENT.DUPLICATE_REFERENCE');
      });
    });

    describe('when the payment is not PROCESSING', () => {
      it('should refuse it', () => {
        expect(codeOf(() => aPendingPayment().beginAttempt({ gateway: 'STRIPE', reference: 'r1', deadline: 1 }))).toBe('PAYMENT.NOT_PROCESSING');
      });
    });
  });

  describe('.settleAttempt', () => {
    describe('when the attempt is live', () => {
      it('should replace it with its outcome, keeping its number, gateway and deadline', () => {
        const payment = aProcessingPayment();
        payment.beginAttempt({ gateway: 'STRIPE', reference: 'r1', deadline: 1_000 });

        const settled = payment.settleAttempt('r1', { outcome: 'APPROVED', latencyMs: 87, gatewayReference: 'ch_9' });

        expect(settled).toMatchObject({ attemptNumber: 1, gateway: 'STRIPE', outcome: 'APPROVED', gatewayReference: 'ch_9', latencyMs: 87, deadline: 1_000 });
        expect(payment.attempts).toEqual([settled]);
        expect(payment.liveAttempt).toBeUndefined();
      });

      it('should let an unknown outcome be settled later, when the gateway says', () => {
        const payment = aProcessingPayment();
        payment.beginAttempt({ gateway: 'STRIPE', reference: 'r1', deadline: 1_000 });
        payment.settleAttempt('r1', { outcome: 'UNKNOWN', latencyMs: 10_000, errorCode: 'TIMEOUT' });

        expect(payment.settleAttempt('r1', { outcome: 'DECLINED', latencyMs: 10_000, declineCode: 'do_not_honor', declineType: 'HARD' }).outcome).toBe('DECLINED');
      });
    });

    describe('when the attempt is settled already or unknown', () => {
      it('should refuse to change it', () => {
        const payment = aProcessingPayment();
        payment.beginAttempt({ gateway: 'STRIPE', reference: 'r1', deadline: 1_000 });
        payment.settleAttempt('r1', { outcome: 'DECLINED', latencyMs: 5, declineCode: 'stolen_card', declineType: 'HARD' });

        expect(codeOf(() => payment.settleAttempt('r1', { outcome: 'APPROVED', latencyMs: 5, gatewayReference: 'ch' }))).toBe('PAYMENT.ATTEMPT_SETTLED');
        expect(codeOf(() => payment.settleAttempt('r9', { outcome: 'APPROVED', latencyMs: 5 }))).toBe('PAYMENT.UNKNOWN_ATTEMPT');
      });
    });
  });

  describe('.requireAction', () => {
    it('should keep what the customer must do until processing resumes', () => {
      const payment = aProcessingPayment();
      payment.requireAction('3-D Secure', { type: 'REDIRECT', url: 'https://psp.example/3ds', method: 'GET' });

      expect(payment.status).toBe('REQUIRES_ACTION');
      expect(payment.nextAction).toEqual({ type: 'REDIRECT', url: 'https://psp.example/3ds', method: 'GET' });
      expect(Object.isFrozen(payment.nextAction)).toBe(true);

      payment.startProcessing();
      expect(payment.nextAction).toBeNull();
    });
  });

  describe('.requestRefund', () => {
    describe('when refunds are pending', () => {
      it('should reserve their amounts, so concurrent refunds can never exceed what was captured', () => {
        const payment = aPaidPayment();
        const first = payment.requestRefund({ amount: 10_000, idempotencyKey: 'r-1' });

        expect(first).toMatchObject({ status: 'PENDING', amount: 10_000, gateway: 'STRIPE', reference: `${payment.id}:${first.id}` });
        expect(payment.status).toBe('PAID');
        expect(payment.refundableAmount.amount).toBe(5_000);
        expect(() => payment.requestRefund({ amount: 5_001 })).toThrow(RefundExceedsCapturedError);
        expect(payment.requestRefund().amount).toBe(5_000);
        expect(codeOf(() => payment.requestRefund())).toBe('PAYMENT.REFUND_EXCEEDS_CAPTURED');
      });

      it('should take the gateway reference from the caller when given', () => {
        const payment = aPaidPayment();

        const refund = payment.requestRefund({ amount: 1, reference: (id) => `ref-${id}`, deadline: 99 });

        expect(refund).toMatchObject({ reference: `ref-${refund.id}`, deadline: 99 });
      });
    });
  });

  describe('.settleRefund', () => {
    describe('when the gateway refunded', () => {
      it('should move the payment and record RefundProcessed', () => {
        const payment = aPaidPayment();
        const pending = payment.requestRefund({ amount: 15_000 });

        const settled = payment.settleRefund(pending.id, { outcome: 'SUCCEEDED', gatewayReference: 're_gw_1' });

        expect(settled).toMatchObject({ status: 'SUCCEEDED', gatewayReference: 're_gw_1' });
        expect(settled.settledAt).not.toBeNull();
        expect(payment.status).toBe('REFUNDED');
        expect(payment.refundedAmount.amount).toBe(15_000);
        expect(payment.pullEvents().map((event) => event.type)).toEqual(['RefundProcessed']);
      });
    });

    describe('when the gateway never processed it', () => {
      it('should release the reserved amount, mark it FAILED and say it was not a rejection', () => {
        const payment = aPaidPayment();
        const pending = payment.requestRefund({ amount: 500 });

        payment.settleRefund(pending.id, { outcome: 'FAILED', code: 'HTTP_503' });

        expect(payment.refunds[0]).toMatchObject({ status: 'FAILED', failureCode: 'HTTP_503' });
        expect(payment.refundableAmount.amount).toBe(15_000);
        expect(payment.pullEvents()[0]?.payload).toMatchObject({ code: 'HTTP_503', rejected: false });
      });
    });

    describe('when the gateway refused', () => {
      it('should release the reserved amount and record RefundFailed', () => {
        const payment = aPaidPayment();
        const pending = payment.requestRefund({ amount: 15_000 });

        payment.settleRefund(pending.id, { outcome: 'REJECTED', code: 'charge_disputed' });

        expect(payment.status).toBe('PAID');
        expect(payment.refundableAmount.amount).toBe(15_000);
        expect(payment.refunds[0]).toMatchObject({ status: 'REJECTED', failureCode: 'charge_disputed' });
        expect(payment.pullEvents()).toEqual([
          expect.objectContaining({ type: 'RefundFailed', payload: { merchantId: 'merchant_1', refundId: pending.id, amount: 15_000, currency: 'EUR', code: 'charge_disputed', rejected: true } }),
        ]);
      });
    });

    describe('when the refund is settled already', () => {
      it('should refuse to settle it again', () => {
        const payment = aPaidPayment();
        const pending = payment.requestRefund({ amount: 1 });
        payment.settleRefund(pending.id, { outcome: 'SUCCEEDED' });

        expect(codeOf(() => payment.settleRefund(pending.id, { outcome: 'FAILED', code: 'x' }))).toBe('PAYMENT.REFUND_SETTLED');
        expect(codeOf(() => payment.settleRefund('re_nope', { outcome: 'SUCCEEDED' }))).toBe('PAYMENT.UNKNOWN_REFUND');
      });
    });
  });

  describe('.rehydrate', () => {
    describe('when the data was stored before attempts had deadlines and refunds a status', () => {
      it('should read them as settled, deadline-less records', () => {
        const deps = testPaymentDependencies();
        const paid = aPaidPayment({}, deps);
        paid.refund({ amount: 100 });
        const { attempts, refunds, nextAction: _nextAction, ...rest } = paid.toSnapshot();
        const legacy = {
          ...rest,
          attempts: attempts.map(({ deadline: _deadline, ...attempt }) => attempt),
          refunds: refunds.map(({ id, amount, idempotencyKey, gatewayReference, reason, createdAt }) => ({ id, amount, idempotencyKey, gatewayReference, reason, createdAt })),
        };

        const payment = Payment.rehydrate(legacy as never, deps);

        expect(payment.attempts[0]?.deadline).toBeNull();
        expect(payment.refunds[0]).toMatchObject({ status: 'SUCCEEDED', reference: null, settledAt: null });
        expect(payment.refundedAmount.amount).toBe(100);
        expect(payment.nextAction).toBeNull();
      });
    });
  });
});
