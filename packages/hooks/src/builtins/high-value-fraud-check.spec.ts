import { Payment } from '@aegispay/domain';
import { FakeClock, aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';

import { aHookContext } from '../testing';
import { HookExecutor } from '../executor/hook-executor';
import { HookRegistry } from '../registry/hook-registry';
import { HighValueFraudCheck } from './high-value-fraud-check';

async function check(hook: HighValueFraudCheck, amount: number, currency = 'EUR', merchantId = 'm_1'): Promise<{ allowed: boolean; riskScore: number; reason?: string }> {
  const registry = new HookRegistry();
  registry.registerFraudCheck(hook);
  const payment = Payment.create({ merchantId, amount, currency, paymentMethod: { type: 'CARD', token: 'tok_1' } }, testPaymentDependencies());
  return new HookExecutor(registry, { clock: new FakeClock() }).executeFraudChecks(aHookContext({ payment }));
}

describe(HighValueFraudCheck, () => {
  describe('.execute', () => {
    describe('when the amount is at or below the threshold', () => {
      it('should allow with risk 0', async () => {
        expect(await check(new HighValueFraudCheck(10_000), 10_000)).toMatchObject({ allowed: true, riskScore: 0 });
      });
    });

    describe('when the amount is above the threshold', () => {
      it('should refuse with risk 0.9 and say why', async () => {
        expect(await check(new HighValueFraudCheck(10_000), 10_001)).toMatchObject({
          allowed: false,
          riskScore: 0.9,
          reason: 'Payment amount 10001 EUR (minor units) exceeds the high-value threshold of 10000',
        });
      });
    });

    describe('when a currency has its own threshold', () => {
      it('should apply it to that currency and the default to the others', async () => {
        const hook = new HighValueFraudCheck(10_000, { perCurrency: { jpy: 1_000_000 } });

        expect((await check(hook, 500_000, 'JPY')).allowed).toBe(true);
        expect((await check(hook, 500_000, 'EUR')).allowed).toBe(false);
        expect(hook.thresholdFor('JPY')).toBe(1_000_000);
      });
    });

    describe('when a merchant has its own threshold for a currency', () => {
      it('should apply it to that merchant in that currency, and the others otherwise', async () => {
        const hook = new HighValueFraudCheck(10_000, { perCurrency: { JPY: 1_000_000 }, perMerchant: { m_big: { jpy: 5_000_000 } } });

        expect((await check(hook, 4_000_000, 'JPY', 'm_big')).allowed).toBe(true);
        expect(await check(hook, 5_000_001, 'JPY', 'm_big')).toMatchObject({
          allowed: false,
          reason: 'Payment amount 5000001 JPY (minor units) exceeds the high-value threshold of 5000000 set for merchant m_big',
        });
        expect((await check(hook, 4_000_000, 'JPY', 'm_small')).allowed).toBe(false);
        expect((await check(hook, 10_001, 'EUR', 'm_big')).allowed).toBe(false);
        expect([hook.thresholdFor('JPY', 'm_big'), hook.thresholdFor('JPY', 'm_small'), hook.thresholdFor('EUR', 'm_big')]).toEqual([5_000_000, 1_000_000, 10_000]);
      });
    });
  });

  describe('constructor', () => {
    describe('when given defaults', () => {
      it('should be named and prioritised as documented', () => {
        expect(new HighValueFraudCheck(1)).toMatchObject({ name: 'HighValueFraudCheck', priority: 100, enabled: true, threshold: 1 });
        expect(new HighValueFraudCheck(1, { name: 'Big', priority: 3 })).toMatchObject({ name: 'Big', priority: 3 });
      });
    });

    describe('when the threshold is not an amount in minor units', () => {
      it.each([-1, 10.5, Number.NaN])('should reject %p', (threshold) => {
        expect(() => new HighValueFraudCheck(threshold)).toThrow(expect.objectContaining({ code: 'HOOK.INVALID_OPTION', field: 'threshold' }) as Error);
      });

      it('should reject a bad per-currency threshold or risk score', () => {
        expect(() => new HighValueFraudCheck(1, { perCurrency: { EUR: -5 } })).toThrow(expect.objectContaining({ field: 'perCurrency.EUR' }) as Error);
        expect(() => new HighValueFraudCheck(1, { riskScore: 2 })).toThrow(expect.objectContaining({ field: 'riskScore' }) as Error);
        expect(() => new HighValueFraudCheck(1, { perMerchant: { m_1: { EUR: 1.5 } } })).toThrow(expect.objectContaining({ field: 'perMerchant.m_1.EUR' }) as Error);
      });
    });
  });

  describe('as a hook', () => {
    it('should read the amount from the snapshot of a payment', () => {
      const payment = aPendingPayment({ amount: 20_000 });
      const result = new HighValueFraudCheck(15_000).execute({ ...aHookContext(), payment: payment.toSnapshot(), signal: new AbortController().signal });

      expect(result.allowed).toBe(false);
    });
  });
});
