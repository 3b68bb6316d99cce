import { Money } from '@aegispay/domain';
import { useAdyenHarness, type AdyenHarness } from '../__fixtures__/adyen-harness';
import { AdyenGateway } from '../index';

describe(AdyenGateway, () => {
  const harness = useAdyenHarness();
  let h: AdyenHarness;
  let approved: string;

  beforeEach(async () => {
    h = harness();
    const charged = await h.gateway.charge(h.charge('STUB_APPROVED', 'pay_r:1'));
    if (charged.outcome !== 'APPROVED') throw new Error('expected an approval');
    approved = charged.gatewayReference;
    await h.webhooks();
  });

  describe('.refund', () => {
    describe('when Adyen receives the refund', () => {
      it('should be PENDING, then settled REFUNDED by the REFUND webhook', async () => {
        const request = h.refund(approved, 'refund_1', 400);
        const result = await h.gateway.refund(request);
        const before = await h.gateway.getRefundStatus({ reference: request.reference, request });
        const [webhook] = await h.webhooks();
        const after = await h.gateway.getRefundStatus({ reference: request.reference });

        expect(result).toEqual({ outcome: 'PENDING', gatewayReference: expect.stringMatching(/^[0-9A-Z]{16}$/) });
        expect(before).toEqual({ status: 'PENDING', gatewayReference: result.outcome === 'PENDING' ? result.gatewayReference : '' });
        expect(webhook).toMatchObject({ type: 'REFUND', reference: 'refund_1', chargeReference: approved, status: { status: 'REFUNDED', gatewayReference: result.outcome === 'PENDING' ? result.gatewayReference : '', amount: Money.of(400, 'EUR') } });
        expect(after).toEqual(webhook?.status);
        await expect(h.stub.control.chargeSummary('pay_r:1')).resolves.toEqual({ charges: 1, refundedMinor: 400 });
      });
    });

    describe('when the same refund reference is sent again', () => {
      it('should answer the first answer and refund once', async () => {
        const first = await h.gateway.refund(h.refund(approved, 'refund_2', 300));
        const again = await h.gateway.refund(h.refund(approved, 'refund_2', 300));

        expect(again).toEqual(first);
        await expect(h.stub.control.chargeSummary('pay_r:1')).resolves.toEqual({ charges: 1, refundedMinor: 300 });
      });
    });

    describe('when the refund is more than is left', () => {
      it('should be PENDING, then refused by a REFUND webhook with success false', async () => {
        await h.gateway.refund(h.refund(approved, 'refund_3', 900));
        await h.webhooks();

        await h.gateway.refund(h.refund(approved, 'refund_4', 200));
        const [webhook] = await h.webhooks();

        expect(webhook).toMatchObject({ type: 'REFUND', reference: 'refund_4', status: { status: 'REJECTED', code: 'refund_failed', message: 'Insufficient balance on payment' } });
        await expect(h.gateway.getRefundStatus({ reference: 'refund_4' })).resolves.toMatchObject({ status: 'REJECTED' });
        await expect(h.stub.control.chargeSummary('pay_r:1')).resolves.toEqual({ charges: 1, refundedMinor: 900 });
      });
    });

    describe('when the charge is unknown to Adyen', () => {
      it('should be REJECTED', async () => {
        await expect(h.gateway.refund(h.refund('0000000000000000', 'refund_5', 100))).resolves.toMatchObject({ outcome: 'REJECTED', code: 'ADYEN.VALIDATION' });
      });
    });

    describe('when the card is Adyen\'s "refund failed" test card', () => {
      it('should report the refund done, then undone by REFUND_FAILED', async () => {
        const charged = await h.gateway.charge(h.charge('STUB_REFUND_FAILED', 'pay_rf:1'));
        if (charged.outcome !== 'APPROVED') throw new Error('expected an approval');
        await h.webhooks();

        await h.gateway.refund(h.refund(charged.gatewayReference, 'refund_6', 500));
        const webhooks = await h.webhooks();

        expect(webhooks.map((webhook) => webhook.status.status)).toEqual(['REFUNDED', 'REJECTED']);
        await expect(h.gateway.getRefundStatus({ reference: 'refund_6' })).resolves.toMatchObject({ status: 'REJECTED', code: 'refund_failed' });
        await expect(h.stub.control.chargeSummary('pay_rf:1')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      });
    });

    describe('when the answer is lost', () => {
      it('should be UNKNOWN, and getRefundStatus resolves it by replay without refunding twice', async () => {
        const request = h.refund(approved, 'refund_7', 250);
        await h.stub.control.inject({ kind: 'lose-answer' });

        await expect(h.gateway.refund(request)).resolves.toMatchObject({ outcome: 'UNKNOWN' });
        await expect(h.gateway.getRefundStatus({ reference: request.reference, request })).resolves.toEqual({ status: 'PENDING', gatewayReference: expect.any(String) });
        await expect(h.stub.control.chargeSummary('pay_r:1')).resolves.toEqual({ charges: 1, refundedMinor: 250 });
      });
    });
  });

  describe('.getRefundStatus', () => {
    describe('when the refund was refused as invalid', () => {
      it('should answer REJECTED', async () => {
        const request = h.refund('0000000000000000', 'refund_8', 100);

        await expect(h.gateway.getRefundStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'REJECTED' });
      });
    });

    describe('when the original request is not given', () => {
      it('should answer UNKNOWN', async () => {
        await expect(h.gateway.getRefundStatus({ reference: 'refund_9' })).resolves.toMatchObject({ status: 'UNKNOWN' });
      });
    });

    describe('when the refund was never sent and its deadline has passed', () => {
      it('should answer UNKNOWN without replaying it (a replay would refund now)', async () => {
        const request = { ...h.refund(approved, 'refund_10', 100), deadline: h.clock.now() + 1_000 };
        await h.clock.advance(1_001);

        await expect(h.gateway.refund(request)).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.DEADLINE_PASSED' });
        await expect(h.gateway.getRefundStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('deadline') });
        expect((await h.stub.control.ledger()).refunds).toEqual([]);
      });
    });
  });
});
