import { AegisPayError, Money, type RefundResult } from '@aegispay/domain';
import { observe, settle } from '../__fixtures__/settle';
import { InvalidGatewayRequestError, ReferenceReusedError } from '../errors/gateway.errors';
import { aChargeRequest, aRefundRequest, createTestGateway } from '../testing';
import { SimulatedGateway } from './simulated-gateway';

/** A gateway holding one approved 150.00 EUR charge of `pay_1`, and its gateway reference. */
async function withApprovedCharge(profile: Parameters<typeof createTestGateway>[0] = {}) {
  const test = createTestGateway(profile);
  const charge = await settle(test.clock, test.gateway.charge(aChargeRequest()));
  if (charge.outcome !== 'APPROVED') throw new Error(`expected an approval, got ${charge.outcome}`);
  return { ...test, chargeReference: charge.gatewayReference };
}

describe(SimulatedGateway, () => {
  describe('.refund', () => {
    describe('when refunding part of an approved charge', () => {
      it('should refund it and record the refund on the charge', async () => {
        const { gateway, chargeReference, clock } = await withApprovedCharge();
        const result = await gateway.refund(aRefundRequest(chargeReference));

        expect(result).toEqual({ outcome: 'REFUNDED', gatewayReference: 're_000002' });
        expect(gateway.getLedgerEntry('pay_1:1')).toMatchObject({
          refundedAmount: Money.of(5000, 'EUR'),
          refunds: [{ reference: 'refund_1', gatewayReference: 're_000002', amount: Money.of(5000, 'EUR'), refundedAt: clock.now() }],
        });
      });
    });

    describe('when refunding the rest in several refunds', () => {
      it('should refund up to the captured amount and reject anything above it', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        const results: RefundResult[] = [];
        results.push(await gateway.refund(aRefundRequest(chargeReference, { reference: 'a', amount: Money.of(5000, 'EUR') })));
        results.push(await gateway.refund(aRefundRequest(chargeReference, { reference: 'b', amount: Money.of(10000, 'EUR') })));
        results.push(await gateway.refund(aRefundRequest(chargeReference, { reference: 'c', amount: Money.of(1, 'EUR') })));

        expect(results.map((r) => r.outcome)).toEqual(['REFUNDED', 'REFUNDED', 'REJECTED']);
        expect(results[2]).toEqual({
          outcome: 'REJECTED',
          code: 'amount_exceeds_refundable',
          message: expect.stringContaining('exceeds the 0.00 EUR still refundable') as string,
        });
        expect(gateway.getLedgerEntry('pay_1:1')?.refundedAmount).toEqual(Money.of(15000, 'EUR'));
        expect(gateway.getTotals().byCurrency['EUR']?.net).toEqual(Money.of(0, 'EUR'));
      });
    });

    describe('when a single refund is above the captured amount', () => {
      it('should reject it and refund nothing', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        await expect(gateway.refund(aRefundRequest(chargeReference, { amount: Money.of(15001, 'EUR') }))).resolves.toMatchObject({
          outcome: 'REJECTED',
          code: 'amount_exceeds_refundable',
        });
        expect(gateway.getLedgerEntry('pay_1:1')?.refunds).toEqual([]);
      });
    });

    describe('when concurrent refunds together exceed the captured amount', () => {
      it('should apply them in arrival order and reject the one that no longer fits', async () => {
        const { gateway, chargeReference, clock } = await withApprovedCharge({ latency: { medianMs: 100, p95Ms: 100 } });
        const refunds = ['a', 'b', 'c'].map((reference) =>
          observe(gateway.refund(aRefundRequest(chargeReference, { reference, amount: Money.of(6000, 'EUR') }))),
        );
        await clock.advance(100);

        expect(refunds.map((r) => (r.value as RefundResult).outcome)).toEqual(['REFUNDED', 'REFUNDED', 'REJECTED']);
        expect(gateway.getLedgerEntry('pay_1:1')?.refundedAmount).toEqual(Money.of(12000, 'EUR'));
      });
    });

    describe('when the refund reference was already used', () => {
      it('should return the first answer and refund nothing more', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        const first = await gateway.refund(aRefundRequest(chargeReference));
        const again = await Promise.all([gateway.refund(aRefundRequest(chargeReference)), gateway.refund(aRefundRequest(chargeReference))]);

        expect(again).toEqual([first, first]);
        expect(gateway.getLedgerEntry('pay_1:1')?.refundedAmount).toEqual(Money.of(5000, 'EUR'));
      });

      it('should return a first rejection again too', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        const first = await gateway.refund(aRefundRequest(chargeReference, { amount: Money.of(20000, 'EUR') }));
        await expect(gateway.refund(aRefundRequest(chargeReference, { amount: Money.of(20000, 'EUR') }))).resolves.toBe(first);
        expect(first.outcome).toBe('REJECTED');
      });

      it('should refuse it for a different refund with a ReferenceReusedError', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        await gateway.refund(aRefundRequest(chargeReference));
        const error: unknown = await gateway.refund(aRefundRequest(chargeReference, { amount: Money.of(7000, 'EUR') })).catch((e: unknown) => e);

        expect(ReferenceReusedError.is(error) && error.fields).toEqual(['amount']);
        expect(gateway.getLedgerEntry('pay_1:1')?.refundedAmount).toEqual(Money.of(5000, 'EUR'));
      });
    });

    describe('when the charge cannot be refunded', () => {
      it.each<[string, (chargeReference: string) => Parameters<typeof aRefundRequest>, string]>([
        ['an unknown charge', () => ['ch_nope'], 'charge_not_found'],
        ["the charge's idempotency reference instead of the gateway's", () => ['pay_1:1'], 'charge_not_found'],
        ['another payment', (ref) => [ref, { paymentId: 'pay_2' }], 'payment_mismatch'],
        ['another currency', (ref) => [ref, { amount: Money.of(100, 'USD') }], 'currency_mismatch'],
      ])('should reject a refund of %s with its code', async (_case, args, code) => {
        const { gateway, chargeReference } = await withApprovedCharge();
        const result = await gateway.refund(aRefundRequest(...args(chargeReference)));

        expect(result).toMatchObject({ outcome: 'REJECTED', code });
        expect(gateway.getLedgerEntry('pay_1:1')?.refunds).toEqual([]);
      });

      it('should reject a refund of a declined charge', async () => {
        const { gateway } = createTestGateway({ approvalRate: 0 });
        await gateway.charge(aChargeRequest());
        await expect(gateway.refund(aRefundRequest('pay_1:1'))).resolves.toMatchObject({
          outcome: 'REJECTED',
          code: 'charge_not_found',
          message: expect.stringContaining('refunds name the gatewayReference') as string,
        });
      });
    });

    describe('when the refund fails before processing', () => {
      it('should refund nothing and let a retry with the same reference go through', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        gateway.degrade({ technicalFailureRate: 1 });
        await expect(gateway.refund(aRefundRequest(chargeReference))).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', retryable: true });
        expect(gateway.getLedgerEntry('pay_1:1')?.refunds).toEqual([]);

        gateway.restoreRates();
        await expect(gateway.refund(aRefundRequest(chargeReference))).resolves.toMatchObject({ outcome: 'REFUNDED' });
      });
    });

    describe('when the signal aborts', () => {
      it('should refund nothing when it aborts before arrival, and still refund when it aborts after', async () => {
        const { gateway, chargeReference, clock } = await withApprovedCharge({ latency: { medianMs: 100, p95Ms: 100 } });
        const early = new AbortController();
        const late = new AbortController();
        const before = observe(gateway.refund(aRefundRequest(chargeReference, { reference: 'early' }), early.signal));
        const after = observe(gateway.refund(aRefundRequest(chargeReference, { reference: 'late' }), late.signal));
        await clock.advance(10);
        early.abort(new Error('gone'));
        await clock.advance(10); // the late one arrived at 15
        late.abort(new Error('gone'));
        await clock.advance(100);

        expect([before.state, after.state]).toEqual(['rejected', 'rejected']);
        expect(gateway.getLedgerEntry('pay_1:1')?.refunds.map((r) => r.reference)).toEqual(['late']);
      });
    });

    describe('when the request is malformed', () => {
      it.each<[string, Parameters<typeof aRefundRequest>[1], string]>([
        ['an amount of zero', { amount: Money.of(0, 'EUR') }, 'amount'],
        ['an empty reference', { reference: '' }, 'reference'],
        ['an empty charge reference', { chargeReference: '' }, 'chargeReference'],
      ])('should reject %s with an InvalidGatewayRequestError naming the field', async (_case, overrides, field) => {
        const { gateway } = createTestGateway();
        const error: unknown = await gateway.refund(aRefundRequest('ch_1', overrides)).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(InvalidGatewayRequestError);
        expect(InvalidGatewayRequestError.is(error) && error.field).toBe(field);
        expect(AegisPayError.is(error) && error.code).toBe('GATEWAY.INVALID_REQUEST');
      });
    });
  });

  describe('.getRefundStatus', () => {
    describe('when the refund was applied', () => {
      it('should answer REFUNDED with the refund id and amount', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        await gateway.refund(aRefundRequest(chargeReference));

        await expect(gateway.getRefundStatus({ reference: 'refund_1' })).resolves.toEqual({
          status: 'REFUNDED',
          gatewayReference: 're_000002',
          amount: Money.of(5000, 'EUR'),
        });
      });
    });

    describe('when the refund was rejected', () => {
      it('should answer REJECTED with the same code', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        await gateway.refund(aRefundRequest(chargeReference, { amount: Money.of(15001, 'EUR') }));

        await expect(gateway.getRefundStatus({ reference: 'refund_1' })).resolves.toMatchObject({ status: 'REJECTED', code: 'amount_exceeds_refundable' });
      });
    });

    describe('when the refund arrived after its deadline', () => {
      it('should have refused it unrecorded, so the lookup answers NOT_FOUND', async () => {
        const { gateway, chargeReference, clock } = await withApprovedCharge();
        const result = await gateway.refund(aRefundRequest(chargeReference, { deadline: clock.now() - 1 }));

        expect(result).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'REQUEST_EXPIRED' });
        await expect(gateway.getRefundStatus({ reference: 'refund_1' })).resolves.toEqual({ status: 'NOT_FOUND' });
        expect(gateway.getLedgerEntry('pay_1:1')?.refunds).toEqual([]);
      });
    });

    describe('when the refund never arrived and may still arrive', () => {
      it('should answer UNKNOWN to a lookup carrying the refund until its deadline has passed, then NOT_FOUND', async () => {
        const { gateway, chargeReference, clock } = await withApprovedCharge();
        const refund = aRefundRequest(chargeReference, { deadline: clock.now() + 1_000 });

        await expect(gateway.getRefundStatus({ reference: refund.reference, request: refund })).resolves.toMatchObject({ status: 'UNKNOWN' });
        await clock.advance(1_001);
        await expect(gateway.getRefundStatus({ reference: refund.reference, request: refund })).resolves.toEqual({ status: 'NOT_FOUND' });
      });
    });

    describe('when the gateway is down', () => {
      it('should answer UNKNOWN rather than guess', async () => {
        const { gateway, chargeReference } = await withApprovedCharge();
        await gateway.refund(aRefundRequest(chargeReference));
        gateway.takeDown();

        await expect(gateway.getRefundStatus({ reference: 'refund_1' })).resolves.toMatchObject({ status: 'UNKNOWN' });
      });
    });
  });
});
