import { Money } from '@aegispay/domain';
import { aChargeRequest, createTestGateways } from '../testing';
import { summarizeLedger, totalsByGateway } from './ledger-totals';

describe(totalsByGateway, () => {
  describe('when several gateways charged', () => {
    it('should give each gateway its counts and money per currency, keyed by name', async () => {
      const { gateways } = createTestGateways({ zeroLatency: true, profiles: { STRIPE: { approvalRate: 1, technicalFailureRate: 0 } } });
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'a', amount: Money.of(10000, 'USD') }));
      await gateways.STRIPE.charge(aChargeRequest({ reference: 'b', paymentId: 'pay_2', amount: Money.of(2000, 'USD') }));

      const totals = totalsByGateway(gateways);
      expect(Object.keys(totals)).toEqual(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN']);
      expect(totals['STRIPE']).toMatchObject({ approved: 2, declined: 0, pending: 0, refunds: 0 });
      expect(totals['STRIPE']?.byCurrency['USD']).toEqual({
        currency: 'USD',
        charged: Money.of(12000, 'USD'),
        refunded: Money.of(0, 'USD'),
        net: Money.of(12000, 'USD'),
        fees: Money.of(290 + 30 + 58 + 30, 'USD'), // STRIPE USD: 2.9 % + 0.30 each
      });
      expect(totals['ADYEN']).toEqual({ gateway: 'ADYEN', approved: 0, declined: 0, pending: 0, refunds: 0, byCurrency: {} });
    });
  });
});

describe(summarizeLedger, () => {
  describe('when the ledger is empty', () => {
    it('should give zero counts and no currency', () => {
      expect(summarizeLedger('X', [])).toEqual({ gateway: 'X', approved: 0, declined: 0, pending: 0, refunds: 0, byCurrency: {} });
    });
  });
});
