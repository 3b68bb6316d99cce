import { PaymentNotFoundError, RefundExceedsCapturedError } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { RefundFailedError, RefundKeyReuseError, RefundRejectedError } from '../errors/orchestrator.errors';
import { createOrchestratorHarness, paymentIdOf, type OrchestratorHarness } from '../testing';
import { PaymentOrchestrator } from './payment-orchestrator';

async function paidPayment(h: OrchestratorHarness): Promise<string> {
  const result = await h.orchestrator.processPayment(aPaymentRequest({ amount: 10_000 }));
  return paymentIdOf(result);
}

describe(PaymentOrchestrator, () => {
  describe('.refund', () => {
    describe('when refunding part, then the rest', () => {
      it('should refund through the capturing gateway and record each refund', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);

        const first = await h.orchestrator.refund(id, { amount: 2_500, idempotencyKey: 'r-1', reason: 'one item returned' });
        const second = await h.orchestrator.refund(id, { idempotencyKey: 'r-2' });

        expect(first).toMatchObject({ amount: 2_500, currency: 'EUR', status: 'PARTIALLY_REFUNDED', replayed: false });
        expect(second).toMatchObject({ amount: 7_500, status: 'REFUNDED', replayed: false });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(10_000);
        const stored = await h.repository.findById(id);
        expect(stored?.refunds.map((refund) => [refund.amount, refund.idempotencyKey])).toEqual([
          [2_500, 'r-1'],
          [7_500, 'r-2'],
        ]);
      });
    });

    describe('when the same refund is asked for twice', () => {
      it('should replay it without refunding again', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        const first = await h.orchestrator.refund(id, { amount: 1_000, idempotencyKey: 'r-1' });

        const again = await h.orchestrator.refund(id, { amount: 1_000, idempotencyKey: 'r-1' });

        expect(again).toMatchObject({ refundId: first.refundId, amount: 1_000, replayed: true });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(1_000);
      });

      it('should refuse the key for a different amount even when both requests race, and record only the refund made', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);

        const [first, second] = await Promise.allSettled([
          h.orchestrator.refund(id, { amount: 6_000, idempotencyKey: 'r-race' }),
          h.orchestrator.refund(id, { amount: 3_000, idempotencyKey: 'r-race' }),
        ]);

        expect(first).toMatchObject({ status: 'fulfilled', value: { amount: 6_000, replayed: false } });
        expect(second).toMatchObject({ status: 'rejected', reason: expect.any(RefundKeyReuseError) as unknown });
        expect((await h.repository.findById(id))?.refunds.map((refund) => refund.amount)).toEqual([6_000]);
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(6_000);
      });

      it('should refuse the key for a different amount', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        await h.orchestrator.refund(id, { amount: 1_000, idempotencyKey: 'r-1' });

        await expect(h.orchestrator.refund(id, { amount: 2_000, idempotencyKey: 'r-1' })).rejects.toThrow(RefundKeyReuseError);
      });
    });

    describe('when refunds under different keys race for more than is left', () => {
      it('should refuse the one that would go beyond the charge by our own accounting, before any gateway is asked', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);

        const outcomes = await Promise.allSettled([
          h.orchestrator.refund(id, { amount: 6_000, idempotencyKey: 'r-a' }),
          h.orchestrator.refund(id, { amount: 6_000, idempotencyKey: 'r-b' }),
        ]);

        expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: expect.any(RefundExceedsCapturedError) as unknown });
        expect((await h.repository.findById(id))?.refunds.map((refund) => [refund.amount, refund.status])).toEqual([[6_000, 'SUCCEEDED']]);
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(6_000);
        expect(h.gateway('STRIPE').refundCalls).toBe(1);
      });
    });

    describe('when the refund is not allowed', () => {
      it('should refuse more than was captured before calling the gateway', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);

        await expect(h.orchestrator.refund(id, { amount: 10_001, idempotencyKey: 'r-1' })).rejects.toThrow(RefundExceedsCapturedError);
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(0);
      });

      it('should refuse a payment that was never captured', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('DECLINE_HARD');
        const id = await paidPayment(h);

        await expect(h.orchestrator.refund(id, { idempotencyKey: 'r-1' })).rejects.toMatchObject({ code: 'PAYMENT.ILLEGAL_TRANSITION' });
      });

      it('should report another merchant\'s payment as not found', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);

        await expect(h.orchestrator.refund(id, { idempotencyKey: 'r-1', merchantId: 'merchant_2' })).rejects.toThrow(PaymentNotFoundError);
        await expect(h.orchestrator.refund('pay_missing', { idempotencyKey: 'r-1' })).rejects.toThrow(PaymentNotFoundError);
      });

      it("should refuse a refund without a usable idempotency key as the caller's bad input", async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);

        await expect(h.orchestrator.refund(id, { idempotencyKey: '' })).rejects.toMatchObject({ code: 'PAYMENT.INVALID_IDEMPOTENCY_KEY', field: 'idempotencyKey' });
        await expect(h.orchestrator.refund(id, { idempotencyKey: 'has space' })).rejects.toMatchObject({ code: 'PAYMENT.INVALID_IDEMPOTENCY_KEY' });
      });
    });

    describe('when the gateway does not refund', () => {
      it('should report a rejection, keep the rejected refund on record, and answer a retry with the same rejection', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        h.gateway('STRIPE').setRefundBehaviour('REJECT');

        await expect(h.orchestrator.refund(id, { idempotencyKey: 'r-1' })).rejects.toThrow(RefundRejectedError);
        h.gateway('STRIPE').setRefundBehaviour('REFUND');
        await expect(h.orchestrator.refund(id, { idempotencyKey: 'r-1' })).rejects.toThrow(RefundRejectedError);

        const stored = await h.repository.findById(id);
        expect(stored?.refunds).toEqual([expect.objectContaining({ status: 'REJECTED', failureCode: 'charge_not_refundable', amount: 10_000 })]);
        expect(stored?.status).toBe('PAID');
        expect(stored?.refundableAmount.amount).toBe(10_000);
        expect(h.gateway('STRIPE').refundCalls).toBe(1);
      });

      it('should report a retryable failure, and the retry with the same key should refund once', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        h.gateway('STRIPE').setRefundBehaviour('FAIL');

        await expect(h.orchestrator.refund(id, { amount: 500, idempotencyKey: 'r-1' })).rejects.toThrow(RefundFailedError);
        h.gateway('STRIPE').setRefundBehaviour('REFUND');
        const retried = await h.orchestrator.refund(id, { amount: 500, idempotencyKey: 'r-1' });

        expect(retried).toMatchObject({ amount: 500, status: 'PARTIALLY_REFUNDED' });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(500);
      });
    });
  });

  describe('.refund, with the refund recorded before the gateway is asked', () => {
    describe('when 60 refunds of 300 with distinct keys race on a 10 000 payment', () => {
      it('should carry out exactly 33, refuse the rest by our own accounting, and agree with the gateway', async () => {
        const h = createOrchestratorHarness();
        const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest({ amount: 10_000 })));

        const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => h.orchestrator.refund(id, { amount: 300, idempotencyKey: `burst-${i}` })));

        const refunded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(refunded).toHaveLength(33);
        expect(refused.every((outcome) => outcome.reason instanceof RefundExceedsCapturedError)).toBe(true);
        const stored = await h.repository.findById(id);
        expect(stored?.refundedAmount.amount).toBe(9_900);
        expect(stored?.refunds).toHaveLength(33);
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(9_900);
        expect(h.gateway('STRIPE').refundCalls).toBe(33);
      });
    });

    describe('when the gateway accepts the refund and confirms it later', () => {
      it('should answer PENDING with the amount reserved, and recovery should settle it once confirmed', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        h.gateway('STRIPE').setRefundBehaviour('ACCEPT');

        const pending = await h.orchestrator.refund(id, { amount: 6_000, idempotencyKey: 'later' });
        await expect(h.orchestrator.refund(id, { amount: 4_001, idempotencyKey: 'too-much' })).rejects.toThrow(RefundExceedsCapturedError);
        await h.clock.advance(600_001);
        const before = await h.recovery.recoverOnce();
        h.gateway('STRIPE').confirmRefunds();
        const after = await h.recovery.recoverOnce();
        const replay = await h.orchestrator.refund(id, { amount: 6_000, idempotencyKey: 'later' });

        expect(pending).toMatchObject({ outcome: 'PENDING', amount: 6_000, status: 'PAID', refund: { status: 'PENDING', gatewayReference: 're_STRIPE_1' } });
        expect(before.refundsUnresolved).toEqual([pending.refundId]);
        expect(after.refundsSettled).toEqual([pending.refundId]);
        expect(replay).toMatchObject({ outcome: 'REFUNDED', replayed: true, status: 'PARTIALLY_REFUNDED' });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(6_000);
      });
    });

    describe('when the refund is carried out but its answer is lost', () => {
      it('should learn it from the gateway before answering, and refund once', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        h.gateway('STRIPE').setRefundBehaviour('LOSE_ANSWER');

        const result = await h.orchestrator.refund(id, { amount: 2_500, idempotencyKey: 'lost' });

        expect(result).toMatchObject({ outcome: 'REFUNDED', amount: 2_500, status: 'PARTIALLY_REFUNDED', replayed: false });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(2_500);
        expect(h.gateway('STRIPE').refundCalls).toBe(1);
      });

      it('should stay PENDING while the gateway cannot say, keep the amount reserved, and be settled by recovery later', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        h.gateway('STRIPE').setRefundBehaviour('LOSE_ANSWER').setStatusAvailable(false);

        const result = await h.orchestrator.refund(id, { idempotencyKey: 'dark' });
        h.gateway('STRIPE').setStatusAvailable(true);
        await h.clock.advance(600_001);
        const report = await h.recovery.recoverOnce();

        expect(result).toMatchObject({ outcome: 'PENDING', amount: 10_000, status: 'PAID' });
        expect(report.refundsSettled).toEqual([result.refundId]);
        expect(await h.repository.findById(id)).toMatchObject({ status: 'REFUNDED' });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(10_000);
      });
    });

    describe('when a refund failed before the gateway decided', () => {
      it('should keep the failed attempt on record and let the retry with the same key ask again', async () => {
        const h = createOrchestratorHarness();
        const id = await paidPayment(h);
        h.gateway('STRIPE').setRefundBehaviour('FAIL');
        await expect(h.orchestrator.refund(id, { amount: 500, idempotencyKey: 'again' })).rejects.toThrow(RefundFailedError);
        h.gateway('STRIPE').setRefundBehaviour('REFUND');

        const retried = await h.orchestrator.refund(id, { amount: 500, idempotencyKey: 'again' });

        expect(retried).toMatchObject({ outcome: 'REFUNDED', replayed: false });
        expect((await h.repository.findById(id))?.refunds.map((refund) => [refund.status, refund.idempotencyKey])).toEqual([
          ['FAILED', 'again'],
          ['SUCCEEDED', 'again'],
        ]);
        await expect(h.orchestrator.refund(id, { amount: 500, idempotencyKey: 'again' })).resolves.toMatchObject({ outcome: 'REFUNDED', replayed: true });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(500);
      });
    });
  });

  describe('.getPayment', () => {
    it('should return the payment, or null for another merchant or an unknown id', async () => {
      const h = createOrchestratorHarness();
      const id = await paidPayment(h);

      expect((await h.orchestrator.getPayment(id))?.status).toBe('PAID');
      expect(await h.orchestrator.getPayment(id, 'merchant_1')).not.toBeNull();
      expect(await h.orchestrator.getPayment(id, 'merchant_2')).toBeNull();
      expect(await h.orchestrator.getPayment('pay_missing')).toBeNull();
    });
  });
});
