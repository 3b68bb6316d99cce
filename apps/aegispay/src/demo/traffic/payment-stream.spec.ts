import { Payment } from '@aegispay/domain';
import { testPaymentDependencies } from '@aegispay/domain/testing';
import { PaymentStream } from './payment-stream';

describe(PaymentStream, () => {
  const stream = (seed = 42, ratePerSecond = 10) => new PaymentStream({ seed, ratePerSecond, keyPrefix: 'demo-test' });

  describe('.at', () => {
    describe('when two streams share a seed', () => {
      it('should give the same payments whatever order they are asked in', () => {
        const forward = stream().take(300);
        const backward = stream();
        const reversed = [299, 150, 0].map((index) => backward.at(index));

        expect(reversed).toEqual([forward[299], forward[150], forward[0]]);
        expect(stream(43).take(5)).not.toEqual(forward.slice(0, 5));
      });
    });

    describe('when asked for a bad index', () => {
      it('should refuse it', () => {
        expect(() => stream().at(-1)).toThrow(RangeError);
        expect(() => stream().at(1.5)).toThrow(RangeError);
      });
    });
  });

  describe('.take', () => {
    const payments = stream().take(5_000);

    it('should arrive in order at about the configured rate', () => {
      const arrivals = payments.map((payment) => payment.arrivalMs);

      expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
      // 5 000 Poisson arrivals at 10/s: 500 s, within a few percent.
      expect((arrivals.at(-1) as number) / 1000).toBeGreaterThan(480);
      expect((arrivals.at(-1) as number) / 1000).toBeLessThan(520);
    });

    it('should give every payment its own idempotency key', () => {
      expect(new Set(payments.map((payment) => payment.request.idempotencyKey)).size).toBe(5_000);
      expect(payments[7]?.request.idempotencyKey).toBe('demo-test-7');
    });

    it('should only produce requests the domain accepts (no token or key mistaken for a card number)', () => {
      const created = payments.map((payment) => Payment.create(payment.request, testPaymentDependencies()));

      expect(created).toHaveLength(5_000);
    });

    it('should mix merchants, currencies, methods and a few cards every issuer declines', () => {
      const share = (predicate: (payment: (typeof payments)[number]) => boolean): number => payments.filter(predicate).length / payments.length;

      expect(share((payment) => payment.request.currency === 'EUR')).toBeCloseTo(0.55, 1);
      expect(share((payment) => payment.request.currency === 'USD')).toBeCloseTo(0.35, 1);
      expect(share((payment) => payment.request.paymentMethod.type === 'WALLET')).toBeCloseTo(0.2, 1);
      expect(share((payment) => payment.request.merchantId === 'merchant_travel')).toBeCloseTo(0.2, 1);
      expect(share((payment) => payment.request.paymentMethod.token.startsWith('tok_decline_'))).toBeCloseTo(0.025, 2);
      const amounts = payments.map((payment) => payment.request.amount);
      expect(Math.min(...amounts)).toBeGreaterThanOrEqual(100);
      expect(Math.max(...amounts)).toBeLessThanOrEqual(500_000);
      expect(amounts.every(Number.isInteger)).toBe(true);
    });
  });

  describe('constructor', () => {
    it('should refuse a rate that is not positive and a key prefix that could look like card digits', () => {
      expect(() => new PaymentStream({ seed: 1, ratePerSecond: 0, keyPrefix: 'demo' })).toThrow('ratePerSecond must be a positive number');
      expect(() => new PaymentStream({ seed: 1, keyPrefix: 'demo-1234' })).toThrow('keyPrefix must be letters and dashes');
    });
  });
});
