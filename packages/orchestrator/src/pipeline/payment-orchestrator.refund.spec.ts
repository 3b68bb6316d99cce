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
