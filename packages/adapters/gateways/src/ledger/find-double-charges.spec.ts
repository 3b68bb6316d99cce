import { Money } from '@aegispay/domain';
import { observe } from '../__fixtures__/settle';
import { aChargeRequest, createTestGateways } from '../testing';
import { findDoubleCharges } from './find-double-charges';

describe(findDoubleCharges, () => {
  const approvedEverywhere = (): ReturnType<typeof createTestGateways> =>
    createTestGateways({
      zeroLatency: true,
      profiles: {
        STRIPE: { approvalRate: 1, technicalFailureRate: 0 },
        PAYPAL: { approvalRate: 1, technicalFailureRate: 0 },
        SQUARE: { approvalRate: 1, technicalFailureRate: 0 },
        ADYEN: { approvalRate: 1, technicalFailureRate: 0 },
      },
    });

  describe('when every payment was charged once', () => {
    it('should find nothing, whatever the number of attempts and replays', async () => {
      const { gateways } = approvedEverywhere();
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:1', paymentId: 'pay_1' }));
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:1', paymentId: 'pay_1' }));
      await gateways.ADYEN.charge(aChargeRequest({ reference: 'pay_2:1', paymentId: 'pay_2' }));
      await gateways.PAYPAL.charge(aChargeRequest({ reference: 'pay_3:1', paymentId: 'pay_3', paymentMethod: { type: 'CARD', token: 'tok_decline_do_not_honor' } }));
      await gateways.SQUARE.charge(aChargeRequest({ reference: 'pay_3:2', paymentId: 'pay_3' }));

      expect(findDoubleCharges(gateways)).toEqual([]);
    });
  });

  describe('when a payment was approved on two gateways', () => {
    it('should report the payment with both charges', async () => {
      const { gateways } = approvedEverywhere();
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:1' }));
      await gateways.ADYEN.charge(aChargeRequest({ reference: 'pay_1:2' }));
      await gateways.PAYPAL.charge(aChargeRequest({ reference: 'pay_0:1', paymentId: 'pay_0' }));
      await gateways.SQUARE.charge(aChargeRequest({ reference: 'pay_0:2', paymentId: 'pay_0' }));

      const doubles = findDoubleCharges(gateways);
      expect(doubles.map((d) => [d.paymentId, d.merchantId, d.charges.map((c) => `${c.gateway}/${c.reference}`)])).toEqual([
        ['pay_0', 'merchant_1', ['PAYPAL/pay_0:1', 'SQUARE/pay_0:2']],
        ['pay_1', 'merchant_1', ['STRIPE/pay_1:1', 'ADYEN/pay_1:2']],
      ]);
    });

    it('should accept the gateways as a list or a map too', async () => {
      const { gateways } = approvedEverywhere();
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:1' }));
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:2' }));

      expect(findDoubleCharges(Object.values(gateways))).toHaveLength(1);
      expect(findDoubleCharges(new Map(Object.entries(gateways)))).toHaveLength(1);
      expect(findDoubleCharges([gateways.ADYEN])).toEqual([]);
    });
  });

  describe('when one of the two charges was refunded', () => {
    it('should not report it once refunded in full, and still report it while refunded in part', async () => {
      const { gateways } = approvedEverywhere();
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:1' }));
      const second = await gateways.ADYEN.charge(aChargeRequest({ reference: 'pay_1:2' }));
      const chargeReference = (second as { gatewayReference: string }).gatewayReference;

      await gateways.ADYEN.refund({ reference: 'rf1', chargeReference, paymentId: 'pay_1', amount: Money.of(14999, 'EUR') });
      expect(findDoubleCharges(gateways)).toHaveLength(1);
      await gateways.ADYEN.refund({ reference: 'rf2', chargeReference, paymentId: 'pay_1', amount: Money.of(1, 'EUR') });
      expect(findDoubleCharges(gateways)).toEqual([]);
    });
  });

  describe('when a second charge is still pending', () => {
    it('should report it only with includePending', async () => {
      const { gateways, clock } = createTestGateways({ profiles: { STRIPE: { approvalRate: 1, technicalFailureRate: 0 }, ADYEN: { technicalFailureRate: 0 } } });
      observe(gateways.STRIPE.charge(aChargeRequest({ reference: 'pay_1:1' })));
      await clock.advance(10_000);
      observe(gateways.ADYEN.charge(aChargeRequest({ reference: 'pay_1:2' })));
      await clock.advance(60); // arrived, not decided
      expect(gateways.ADYEN.getLedgerEntry('pay_1:2')?.outcome).toBe('PENDING');

      expect(findDoubleCharges(gateways)).toEqual([]);
      expect(findDoubleCharges(gateways, { includePending: true }).map((d) => d.charges.map((c) => c.outcome))).toEqual([['APPROVED', 'PENDING']]);
    });
  });
});
