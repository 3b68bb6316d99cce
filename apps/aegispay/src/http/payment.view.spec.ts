import { aPaidPayment, aPendingPayment } from '@aegispay/domain/testing';
import { paymentView, tokenLast4 } from './payment.view';

describe(paymentView, () => {
  describe('when the payment is paid and partly refunded', () => {
    it('should show amounts in minor units, what is refundable, and never the token', () => {
      const payment = aPaidPayment();
      payment.refund({ amount: 100, idempotencyKey: 'r1' });

      const view = paymentView(payment.toSnapshot());

      expect(view).toMatchObject({ status: 'PARTIALLY_REFUNDED', amount: payment.amount, refundedAmount: 100, refundableAmount: payment.amount - 100 });
      expect(view.refunds).toEqual([expect.objectContaining({ amount: 100, currency: payment.currency })]);
      expect(JSON.stringify(view)).not.toContain(payment.paymentMethod.token);
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    });
  });

  describe('when the payment was never captured', () => {
    it('should have nothing refundable and no failure', () => {
      const view = paymentView(aPendingPayment().toSnapshot());

      expect(view).toMatchObject({ status: 'PENDING', refundableAmount: 0, refundedAmount: 0, failure: null, gateway: null });
    });
  });
});

describe(tokenLast4, () => {
  it.each([
    ['tok_visa_4242_abcd', 'abcd'],
    ['tok_123456789', '6789'],
    ['tok_short', null],
    ['', null],
  ])('should show %j as %j', (token, shown) => {
    expect(tokenLast4(token)).toBe(shown);
  });
});
