import type { ChargeNotification, GatewayNotification, Payment, RefundNotification } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { GatewayDiscrepancyError } from '../errors/orchestrator.errors';
import { createOrchestratorHarness, paymentIdOf, type OrchestratorHarness } from '../testing';
import { NOTIFICATION_EVENTS_OWNER } from './gateway-notifications';

/** A webhook of the scripted STRIPE gateway about charge `reference`: what its status lookup says now. */
async function chargeNotice(h: OrchestratorHarness, reference: string, eventId: string, overrides: Partial<ChargeNotification> = {}): Promise<ChargeNotification> {
  const status = await h.gateway('STRIPE').getStatus({ reference });
  const charge = h.gateway('STRIPE').charges().find((entry) => entry.reference === reference);
  return { type: 'CHARGE', gateway: 'STRIPE', eventId, reference, gatewayReference: charge?.gatewayReference ?? 'ch_unknown', status, occurredAt: h.clock.now(), ...overrides };
}

/** A webhook of the scripted STRIPE gateway about refund `reference`. */
async function refundNotice(h: OrchestratorHarness, reference: string, eventId: string): Promise<RefundNotification> {
  const status = await h.gateway('STRIPE').getRefundStatus({ reference });
  return { type: 'REFUND', gateway: 'STRIPE', eventId, reference, status, occurredAt: h.clock.now() };
}

async function stored(h: OrchestratorHarness, id: string): Promise<Payment> {
  return (await h.repository.findById(id)) as Payment;
}

/** Settles pending microtasks and I/O callbacks until `condition` holds (no wall-clock wait). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 1_000; turn += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the condition never held');
}

describe('PaymentOrchestrator.applyNotification', () => {
  describe('when the gateway held a charge and later approves it', () => {
    it('should mark the payment PAID, answer its key with the final outcome, and charge once', async () => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('HOLD');
      const request = aPaymentRequest({ idempotencyKey: 'held-order' });
      const id = paymentIdOf(await h.orchestrator.processPayment(request));
      h.gateway('STRIPE').decide(`${id}:1`, 'APPROVE');

      const outcome = await h.orchestrator.applyNotification(await chargeNotice(h, `${id}:1`, 'evt_1'));
      const replay = await h.orchestrator.processPayment(request);

      expect(outcome).toEqual({ kind: 'APPLIED', eventId: 'evt_1', paymentId: id, paymentStatus: 'PAID' });
      expect(await stored(h, id)).toMatchObject({ status: 'PAID', gateway: 'STRIPE', gatewayReference: 'ch_STRIPE_1' });
      expect(replay).toMatchObject({ outcome: 'SUCCEEDED', replayed: true });
      expect(h.approvedCharges(id)).toBe(1);
    });

    it('should answer DUPLICATE to the same event delivered again, and NO_CHANGE to another event saying the same', async () => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('HOLD');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      h.gateway('STRIPE').decide(`${id}:1`, 'APPROVE');
      const notice = await chargeNotice(h, `${id}:1`, 'evt_once');
      await h.orchestrator.applyNotification(notice);
      const version = (await stored(h, id)).version;

      const again = await h.orchestrator.applyNotification(notice);
      const another = await h.orchestrator.applyNotification({ ...notice, eventId: 'evt_other' });

      expect(again).toEqual({ kind: 'DUPLICATE', eventId: 'evt_once' });
      expect(another).toMatchObject({ kind: 'NO_CHANGE', paymentId: id });
      expect((await stored(h, id)).version).toBe(version);
      expect(await h.idempotency.peek(NOTIFICATION_EVENTS_OWNER, 'STRIPE:evt_once', 'CHARGE')).toMatchObject({ status: 'COMPLETED' });
    });

    it('should find the payment by the gateway charge id when the notification echoes no reference', async () => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('HOLD');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      h.gateway('STRIPE').decide(`${id}:1`, 'DECLINE');
      const { reference: _omitted, ...notice } = await chargeNotice(h, `${id}:1`, 'evt_by_charge_id');

      const outcome = await h.orchestrator.applyNotification({ ...notice, paymentId: id });

      expect(outcome).toMatchObject({ kind: 'APPLIED', paymentStatus: 'FAILED' });
      expect(await stored(h, id)).toMatchObject({ status: 'FAILED', failureCode: 'authentication_failed' });
    });
  });

  describe('when the customer was asked to act', () => {
    it('should settle the payment with the decline the gateway reports', async () => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('REQUIRE_ACTION');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      h.gateway('STRIPE').decide(`${id}:1`, 'DECLINE');

      const outcome = await h.orchestrator.applyNotification(await chargeNotice(h, `${id}:1`, 'evt_3ds'));

      expect(outcome).toMatchObject({ kind: 'APPLIED', paymentStatus: 'FAILED' });
      expect(await stored(h, id)).toMatchObject({ status: 'FAILED', nextAction: null, failureCode: 'authentication_failed' });
      expect(h.gateway('ADYEN').chargeCalls).toBe(0);
    });

    it('should change nothing when the notification only repeats that the customer must act', async () => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('REQUIRE_ACTION');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      const version = (await stored(h, id)).version;

      const outcome = await h.orchestrator.applyNotification(await chargeNotice(h, `${id}:1`, 'evt_still_waiting'));

      expect(outcome).toMatchObject({ kind: 'NO_CHANGE', paymentId: id });
      expect((await stored(h, id)).version).toBe(version);
    });
  });

  describe('when the charge is being sent right now', () => {
    it('should defer (nothing applied, the event not remembered) so that a later delivery is applied', async () => {
      const h = createOrchestratorHarness();
      let answer: (() => void) | undefined;
      const gateway = h.gateway('STRIPE');
      const charge = gateway.charge.bind(gateway);
      jest.spyOn(gateway, 'charge').mockImplementationOnce(async (request, signal) => {
        const result = await charge(request, signal);
        await new Promise<void>((resolve) => (answer = resolve));
        return result;
      });
      const request = aPaymentRequest({ idempotencyKey: 'racing' });
      const paying = h.orchestrator.processPayment(request);
      await until(async () => answer !== undefined);
      const id = (await h.repository.findByIdempotencyKey(request.merchantId, 'racing'))?.id as string;
      const notice = await chargeNotice(h, `${id}:1`, 'evt_early');

      const early = await h.orchestrator.applyNotification(notice);
      (answer as () => void)();
      const result = await paying;
      const later = await h.orchestrator.applyNotification(notice);

      expect(early).toMatchObject({ kind: 'DEFERRED', paymentId: id });
      expect(result).toMatchObject({ outcome: 'SUCCEEDED', paymentId: id });
      expect(later).toMatchObject({ kind: 'NO_CHANGE', paymentId: id });
    });
  });

  describe('when the gateway contradicts a settled payment', () => {
    it('should change nothing and report a DISCREPANCY through onError', async () => {
      const reported: unknown[] = [];
      const h = createOrchestratorHarness({ onError: (error) => reported.push(error) });
      h.gateway('STRIPE').script('DECLINE_HARD');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      const before = await stored(h, id);
      const notice = await chargeNotice(h, `${id}:1`, 'evt_contradiction');

      const outcome = await h.orchestrator.applyNotification({ ...notice, status: { status: 'APPROVED', gatewayReference: 'ch_STRIPE_1', amount: before.money } });

      expect(outcome).toMatchObject({ kind: 'DISCREPANCY', paymentId: id });
      expect((await stored(h, id)).toSnapshot()).toEqual(before.toSnapshot());
      expect(reported).toEqual([expect.any(GatewayDiscrepancyError)]);
      expect(reported[0]).toMatchObject({ code: 'ORCHESTRATOR.GATEWAY_DISCREPANCY', paymentId: id, eventId: 'evt_contradiction' });
    });
  });

  describe('when nothing of ours matches', () => {
    it.each<[string, (notice: ChargeNotification) => GatewayNotification]>([
      ['an unknown payment', (notice) => ({ ...notice, reference: 'pay_unknown:1', paymentId: 'pay_unknown' })],
      ['an attempt at another gateway', (notice) => ({ ...notice, gateway: 'ADYEN' })],
      ['a gateway that is not configured', (notice) => ({ ...notice, gateway: 'WORLDPAY' })],
    ])('should answer UNMATCHED for %s and change nothing', async (_case, change) => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('HOLD');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      h.gateway('STRIPE').decide(`${id}:1`, 'APPROVE');
      const version = (await stored(h, id)).version;

      const outcome = await h.orchestrator.applyNotification(change(await chargeNotice(h, `${id}:1`, 'evt_stray')));

      expect(outcome).toMatchObject({ kind: 'UNMATCHED', eventId: 'evt_stray' });
      expect((await stored(h, id)).version).toBe(version);
    });
  });

  describe('when the store fails while applying', () => {
    it('should throw, remember nothing, and apply the same event when it is delivered again', async () => {
      const h = createOrchestratorHarness();
      h.gateway('STRIPE').script('HOLD');
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest()));
      h.gateway('STRIPE').decide(`${id}:1`, 'APPROVE');
      const notice = await chargeNotice(h, `${id}:1`, 'evt_retry');
      jest.spyOn(h.repository, 'updateWithVersion').mockRejectedValueOnce(new Error('database unavailable'));

      await expect(h.orchestrator.applyNotification(notice)).rejects.toThrow('database unavailable');
      const retried = await h.orchestrator.applyNotification(notice);

      expect(retried).toMatchObject({ kind: 'APPLIED', paymentStatus: 'PAID' });
    });
  });

  describe('for refunds', () => {
    async function paidWithPendingRefund(h: OrchestratorHarness, amount: number): Promise<{ id: string; reference: string; refundId: string }> {
      const id = paymentIdOf(await h.orchestrator.processPayment(aPaymentRequest({ amount: 10_000 })));
      h.gateway('STRIPE').setRefundBehaviour('ACCEPT');
      const pending = await h.orchestrator.refund(id, { amount, idempotencyKey: `refund-${amount}` });
      const refund = (await stored(h, id)).refunds.find((candidate) => candidate.id === pending.refundId);
      return { id, reference: refund?.reference ?? '', refundId: pending.refundId };
    }

    it('should settle a refund the gateway confirms later, and free nothing twice', async () => {
      const h = createOrchestratorHarness();
      const { id, reference, refundId } = await paidWithPendingRefund(h, 6_000);
      h.gateway('STRIPE').confirmRefunds();
      const notice = await refundNotice(h, reference, 'evt_refund');

      const outcome = await h.orchestrator.applyNotification(notice);
      const again = await h.orchestrator.applyNotification({ ...notice, eventId: 'evt_refund_again' });

      expect(outcome).toEqual({ kind: 'APPLIED', eventId: 'evt_refund', paymentId: id, paymentStatus: 'PARTIALLY_REFUNDED', refund: { id: refundId, status: 'SUCCEEDED' } });
      expect(again).toMatchObject({ kind: 'NO_CHANGE' });
      expect((await stored(h, id)).refundedAmount.amount).toBe(6_000);
      expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(6_000);
    });

    it('should record a refund the gateway refused, freeing its reserved amount', async () => {
      const h = createOrchestratorHarness();
      const { id, reference, refundId } = await paidWithPendingRefund(h, 4_000);
      const notice = await refundNotice(h, reference, 'evt_refund_failed');

      const outcome = await h.orchestrator.applyNotification({ ...notice, status: { status: 'REJECTED', code: 'expired_or_canceled_card' } });
      const whole = await h.orchestrator.refund(id, { idempotencyKey: 'the-rest' });

      expect(outcome).toMatchObject({ kind: 'APPLIED', refund: { id: refundId, status: 'REJECTED' } });
      expect(whole).toMatchObject({ amount: 10_000 });
    });

    it('should report a refund made that we recorded as refused, changing nothing', async () => {
      const reported: unknown[] = [];
      const h = createOrchestratorHarness({ onError: (error) => reported.push(error) });
      const { id, reference } = await paidWithPendingRefund(h, 4_000);
      const rejected = await refundNotice(h, reference, 'evt_refused');
      await h.orchestrator.applyNotification({ ...rejected, status: { status: 'REJECTED', code: 'expired_or_canceled_card' } });
      h.gateway('STRIPE').confirmRefunds();
      const before = await stored(h, id);

      const outcome = await h.orchestrator.applyNotification(await refundNotice(h, reference, 'evt_refunded_after_all'));

      expect(outcome).toMatchObject({ kind: 'DISCREPANCY', paymentId: id });
      expect((await stored(h, id)).version).toBe(before.version);
      expect(reported).toEqual([expect.any(GatewayDiscrepancyError)]);
    });
  });
});
