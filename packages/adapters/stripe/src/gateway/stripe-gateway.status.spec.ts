import { VirtualClock } from '@aegispay/domain';
import { aCharge, startHarness, type Harness } from '../__fixtures__/stub-harness';

const HOUR = 3_600_000;

describe('StripeGateway', () => {
  let harness: Harness;

  afterEach(async () => {
    await harness.dispose();
  });

  describe('.getStatus', () => {
    describe('when the gatewayReference is known', () => {
      beforeEach(async () => {
        harness = await startHarness();
      });

      it('should retrieve the PaymentIntent and report it', async () => {
        const request = aCharge('pm_card_visa');
        const charged = await harness.gateway.charge(request);
        if (charged.outcome !== 'APPROVED') throw new Error(`expected APPROVED, got ${charged.outcome}`);

        expect(await harness.gateway.getStatus({ reference: request.reference, gatewayReference: charged.gatewayReference })).toEqual({
          status: 'APPROVED',
          gatewayReference: charged.gatewayReference,
          amount: request.amount,
        });
      });

      it('should answer UNKNOWN, never NOT_FOUND, for a PaymentIntent Stripe does not know', async () => {
        expect(await harness.gateway.getStatus({ reference: 'pay_x:1', gatewayReference: 'pi_unknown' })).toEqual({ status: 'UNKNOWN', reason: expect.stringContaining('No such payment_intent') });
      });

      it('should answer UNKNOWN when Stripe fails to answer', async () => {
        await harness.stub.control.injectFault({ kind: 'error', status: 503 }, { operation: 'payment_intents.retrieve' });

        expect(await harness.gateway.getStatus({ reference: 'pay_x:1', gatewayReference: 'pi_whatever' })).toMatchObject({ status: 'UNKNOWN' });
      });
    });

    describe('when only the original request is known', () => {
      beforeEach(async () => {
        harness = await startHarness();
      });

      it('should replay it and report the first answer, without charging again', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'drop' });
        expect(await harness.gateway.charge(request)).toMatchObject({ outcome: 'UNKNOWN' });

        const statuses = [
          await harness.gateway.getStatus({ reference: request.reference, request }),
          await harness.gateway.getStatus({ reference: request.reference, request }),
          await harness.gateway.getStatus({ reference: request.reference, request }),
        ];

        expect(new Set(statuses.map((status) => JSON.stringify(status))).size).toBe(1);
        expect(statuses[0]).toMatchObject({ status: 'APPROVED', gatewayReference: expect.stringMatching(/^pi_/) });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should report a decline the first request received', async () => {
        const request = aCharge('pm_card_chargeDeclinedLostCard');
        await harness.stub.control.injectFault({ kind: 'drop' });
        await harness.gateway.charge(request);

        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toEqual({ status: 'DECLINED', declineCode: 'lost_card', declineType: 'HARD' });
      });

      it('should answer PENDING while the first request is still being carried out, then its result, with one charge', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'hold' });
        const first = harness.gateway.charge(request);
        await harness.stub.control.waitForHeld();

        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toEqual({ status: 'PENDING' });

        await harness.stub.control.releaseHeld();
        const charged = await first;
        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'APPROVED', gatewayReference: (charged as { gatewayReference: string }).gatewayReference });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should make the one charge when the first request never arrived (Stripe cannot refuse a late request)', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'error', status: 503 });
        expect(await harness.gateway.charge(request)).toMatchObject({ outcome: 'TECHNICAL_FAILURE' });

        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'APPROVED' });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should answer UNKNOWN while Stripe replays a saved 500', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'error', status: 500 });
        await harness.gateway.charge(request);

        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toEqual({ status: 'UNKNOWN', reason: expect.stringContaining('Stripe answered 500') });
      });

      it('should answer UNKNOWN for a request that carries another reference', async () => {
        const request = aCharge('pm_card_visa');

        expect(await harness.gateway.getStatus({ reference: 'pay_other:1', request })).toEqual({ status: 'UNKNOWN', reason: expect.stringContaining('not "pay_other:1"') });
        expect(await harness.stub.control.ledger()).toEqual([]);
      });
    });

    describe('when neither the gatewayReference nor the request is known', () => {
      beforeEach(async () => {
        harness = await startHarness();
      });

      it('should answer UNKNOWN and say what would resolve it, never NOT_FOUND', async () => {
        expect(await harness.gateway.getStatus({ reference: 'pay_x:1' })).toEqual({ status: 'UNKNOWN', reason: expect.stringContaining('has no lookup by our reference') });
      });
    });

    describe("when the request may be older than Stripe's idempotency key window", () => {
      let clock: VirtualClock;

      beforeEach(async () => {
        clock = new VirtualClock({ start: Date.UTC(2026, 0, 1) });
        harness = await startHarness({ clock });
      });

      it('should replay inside the window and refuse after it, where a replay would have charged again', async () => {
        const request = aCharge('pm_card_visa', { deadline: clock.now() + 10_000 });
        await harness.stub.control.injectFault({ kind: 'drop' });
        await harness.gateway.charge(request);
        await clock.advance(19 * HOUR);
        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'APPROVED' });

        await clock.advance(6 * HOUR);
        const late = await harness.gateway.getStatus({ reference: request.reference, request });

        expect(late).toEqual({ status: 'UNKNOWN', reason: expect.stringContaining('beyond the 1200-minute replay window') });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
        // What the refusal prevented: Stripe has forgotten the key, and the same request charges again.
        expect(await harness.gateway.charge({ ...request, deadline: clock.now() + 10_000 })).toMatchObject({ outcome: 'APPROVED' });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 2, refunded: 0 });
      });

      it('should date a request without a deadline by its first send from this process', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'drop' });
        await harness.gateway.charge(request);
        await clock.advance(HOUR);

        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'APPROVED' });
        await clock.advance(20 * HOUR);
        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'UNKNOWN' });
      });

      it('should not replay a request without a deadline that another process sent', async () => {
        const request = aCharge('pm_card_visa');
        await harness.gateway.charge(request);

        const other = harness.gatewayWith({});

        expect(await other.getStatus({ reference: request.reference, request })).toEqual({ status: 'UNKNOWN', reason: expect.stringContaining('carries no deadline') });
      });
    });
  });
});
