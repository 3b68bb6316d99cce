import { Money } from '@aegispay/domain';
import { InvalidStripeRequestError, StripeIdempotencyConflictError } from '../index';
import { aCharge, aRefund, startHarness, type Harness } from '../__fixtures__/stub-harness';

describe('StripeGateway', () => {
  let harness: Harness;
  let chargeReference: string;
  let reference: string;

  beforeEach(async () => {
    harness = await startHarness();
    const request = aCharge('pm_card_visa');
    reference = request.reference;
    const charged = await harness.gateway.charge(request);
    if (charged.outcome !== 'APPROVED') throw new Error(`expected APPROVED, got ${charged.outcome}`);
    chargeReference = charged.gatewayReference;
  });
  afterEach(async () => {
    await harness.dispose();
  });

  describe('.refund', () => {
    describe('when the charge has enough left', () => {
      it('should refund part, then the rest, keyed by each refund reference', async () => {
        const part = await harness.gateway.refund(aRefund(chargeReference, 500));
        const rest = await harness.gateway.refund(aRefund(chargeReference, 1000));

        expect(part).toEqual({ outcome: 'REFUNDED', gatewayReference: expect.stringMatching(/^re_/) });
        expect(rest).toEqual({ outcome: 'REFUNDED', gatewayReference: expect.stringMatching(/^re_/) });
        expect(await harness.stub.control.chargesFor(reference)).toEqual({ charges: 1, refunded: 1500 });
      });

      it('should answer a repeated refund reference with the first refund and refund once', async () => {
        const request = aRefund(chargeReference, 500);

        const first = await harness.gateway.refund(request);
        const again = await harness.gateway.refund(request);

        expect(again).toEqual(first);
        expect(await harness.stub.control.chargesFor(reference)).toEqual({ charges: 1, refunded: 500 });
      });

      it("should pass Stripe's own reasons as the reason and keep other reasons in metadata", async () => {
        const ours = await harness.gateway.refund(aRefund(chargeReference, 100, { reason: 'requested_by_customer' }));
        const theirs = await harness.gateway.refund(aRefund(chargeReference, 100, { reason: 'damaged parcel' }));

        expect([ours.outcome, theirs.outcome]).toEqual(['REFUNDED', 'REFUNDED']);
      });
    });

    describe('when Stripe refuses the refund', () => {
      it('should reject a refund larger than what is left', async () => {
        expect(await harness.gateway.refund(aRefund(chargeReference, 1501))).toEqual({ outcome: 'REJECTED', code: 'amount_too_large', message: expect.any(String) });
        expect(await harness.stub.control.chargesFor(reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should reject a refund of a charge already refunded in full', async () => {
        await harness.gateway.refund(aRefund(chargeReference, 1500));

        expect(await harness.gateway.refund(aRefund(chargeReference, 1))).toMatchObject({ outcome: 'REJECTED', code: 'charge_already_refunded' });
      });

      it('should reject a refund of a PaymentIntent Stripe does not know', async () => {
        expect(await harness.gateway.refund(aRefund('pi_unknown', 100))).toMatchObject({ outcome: 'REJECTED', code: 'resource_missing' });
      });
    });

    describe('when Stripe settles the refund later', () => {
      it('should answer PENDING, then REFUNDED once Stripe settles it', async () => {
        await harness.stub.control.refundNextAsync();
        const pending = await harness.gateway.refund(aRefund(chargeReference, 700));
        if (pending.outcome !== 'PENDING' || pending.gatewayReference === undefined) throw new Error(`expected PENDING, got ${pending.outcome}`);

        await harness.stub.control.settleRefund(pending.gatewayReference, 'succeeded');

        expect(await harness.gateway.getRefundStatus({ reference: 'unused', gatewayReference: pending.gatewayReference })).toEqual({
          status: 'REFUNDED',
          gatewayReference: pending.gatewayReference,
          amount: Money.of(700, 'EUR'),
        });
      });

      it('should report a refund that failed later as REJECTED', async () => {
        await harness.stub.control.refundNextAsync();
        const pending = await harness.gateway.refund(aRefund(chargeReference, 700));

        await harness.stub.control.settleRefund(pending.outcome === 'PENDING' ? (pending.gatewayReference ?? '') : '', 'failed');

        expect(await harness.gateway.getRefundStatus({ reference: 'unused', gatewayReference: (pending as { gatewayReference: string }).gatewayReference })).toMatchObject({ status: 'REJECTED', code: 'declined' });
      });
    });

    describe('when the answer is lost', () => {
      it('should answer UNKNOWN, and the status by replay reports the one refund', async () => {
        const request = aRefund(chargeReference, 400);
        await harness.stub.control.injectFault({ kind: 'drop' });

        expect(await harness.gateway.refund(request)).toMatchObject({ outcome: 'UNKNOWN' });
        expect(await harness.gateway.getRefundStatus({ reference: request.reference, request })).toMatchObject({ status: 'REFUNDED', amount: Money.of(400, 'EUR') });
        expect(await harness.gateway.getRefundStatus({ reference: request.reference, request })).toMatchObject({ status: 'REFUNDED' });
        expect(await harness.stub.control.chargesFor(reference)).toEqual({ charges: 1, refunded: 400 });
      });
    });

    describe('when Stripe fails before refunding', () => {
      it('should answer a retryable technical failure and refund nothing', async () => {
        await harness.stub.control.injectFault({ kind: 'error', status: 429 });

        expect(await harness.gateway.refund(aRefund(chargeReference, 400))).toMatchObject({ outcome: 'TECHNICAL_FAILURE', retryable: true });
        expect(await harness.stub.control.chargesFor(reference)).toEqual({ charges: 1, refunded: 0 });
      });
    });

    describe('when the refund reference was used with other parameters', () => {
      it('should throw StripeIdempotencyConflictError', async () => {
        const request = aRefund(chargeReference, 400);
        await harness.gateway.refund(request);

        await expect(harness.gateway.refund({ ...request, amount: Money.of(300, 'EUR') })).rejects.toBeInstanceOf(StripeIdempotencyConflictError);
        expect(await harness.stub.control.chargesFor(reference)).toEqual({ charges: 1, refunded: 400 });
      });
    });

    describe('when the charge reference is not a PaymentIntent id', () => {
      it('should refuse before sending', async () => {
        await expect(harness.gateway.refund(aRefund('ch_123', 100))).rejects.toBeInstanceOf(InvalidStripeRequestError);
      });
    });
  });

  describe('.getRefundStatus', () => {
    describe('when neither the gatewayReference nor the request is known', () => {
      it('should answer UNKNOWN, never NOT_FOUND', async () => {
        expect(await harness.gateway.getRefundStatus({ reference: 'refund_x' })).toMatchObject({ status: 'UNKNOWN' });
      });
    });

    describe('when the refund by replay is refused', () => {
      it('should answer REJECTED: Stripe would have replayed a refund it had made', async () => {
        const request = aRefund(chargeReference, 5000, { deadline: Date.now() + 10_000 });

        expect(await harness.gateway.getRefundStatus({ reference: request.reference, request })).toMatchObject({ status: 'REJECTED', code: 'amount_too_large' });
      });
    });

    describe('when the refund is unknown to Stripe by id', () => {
      it('should answer UNKNOWN, never NOT_FOUND', async () => {
        expect(await harness.gateway.getRefundStatus({ reference: 'refund_x', gatewayReference: 're_unknown' })).toMatchObject({ status: 'UNKNOWN' });
      });
    });
  });
});
