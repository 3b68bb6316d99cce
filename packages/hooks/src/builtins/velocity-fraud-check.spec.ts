import { FakeClock, aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';

import type { HookContext } from '../context/hook-context';
import { HookExecutor } from '../executor/hook-executor';
import type { FraudCheckOutcome } from '../executor/hook-outcomes';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext } from '../testing';
import { VelocityFraudCheck, type VelocityFraudCheckOptions } from './velocity-fraud-check';
import type { VelocityCounterStore } from '@aegispay/domain';

const HOUR = 3_600_000;

function setUp(limit: number, windowMs: number, options: VelocityFraudCheckOptions = {}): { clock: FakeClock; pay: (merchantId?: string) => Promise<FraudCheckOutcome> } {
  const clock = new FakeClock();
  const deps = { ...testPaymentDependencies(), clock };
  const registry = new HookRegistry();
  registry.registerFraudCheck(new VelocityFraudCheck(limit, windowMs, { clock, ...options }));
  const executor = new HookExecutor(registry, { clock });
  const pay = (merchantId = 'shop_1'): Promise<FraudCheckOutcome> =>
    executor.executeFraudChecks(aHookContext({ payment: aPendingPayment({ merchantId }, deps) }));
  return { clock, pay };
}

describe(VelocityFraudCheck, () => {
  describe('.execute', () => {
    describe('when a merchant goes over the limit within the window', () => {
      it('should allow `limit` payments and refuse the next, saying how many', async () => {
        const { pay } = setUp(3, HOUR);

        const outcomes = [await pay(), await pay(), await pay(), await pay()];

        expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false]);
        expect(outcomes[3]).toMatchObject({ riskScore: 0.9, reason: 'Too many payments: 4 in the last hour (limit 3)', deniedBy: 'VelocityFraudCheck' });
      });
    });

    describe('when the window slides past old payments', () => {
      it('should count only the payments of the last windowMs, by the clock', async () => {
        const { clock, pay } = setUp(2, HOUR);
        await pay();
        await clock.advance(HOUR / 2);
        await pay();

        expect((await pay()).allowed).toBe(false);
        await clock.advance(HOUR / 2);
        // The first payment is now exactly one window old: out of (now − 1 h, now].
        expect((await pay()).allowed).toBe(false);
        await clock.advance(HOUR);
        expect((await pay()).allowed).toBe(true);
      });
    });

    describe('when payments belong to different merchants', () => {
      it('should count each merchant separately', async () => {
        const { pay } = setUp(1, HOUR);

        expect([(await pay('a')).allowed, (await pay('b')).allowed, (await pay('a')).allowed]).toEqual([true, true, false]);
      });
    });

    describe('when the same payment is checked twice', () => {
      it('should count it once', async () => {
        const clock = new FakeClock();
        const registry = new HookRegistry();
        registry.registerFraudCheck(new VelocityFraudCheck(1, HOUR, { clock }));
        const executor = new HookExecutor(registry, { clock });
        const context = aHookContext();

        expect([(await executor.executeFraudChecks(context)).allowed, (await executor.executeFraudChecks(context)).allowed]).toEqual([true, true]);
      });
    });

    describe('when a custom key leaves a payment uncounted', () => {
      it('should allow it without counting', async () => {
        const records: string[] = [];
        const store: VelocityCounterStore = { record: (key) => (records.push(key), 1) };
        const hook = new VelocityFraudCheck(1, HOUR, {
          store,
          key: ({ payment }) => (payment.customerId === null ? undefined : `customer:${payment.customerId}`),
        });
        const registry = new HookRegistry();
        registry.registerFraudCheck(hook);
        const executor = new HookExecutor(registry, { clock: new FakeClock() });
        const anonymous: HookContext = aHookContext({ payment: { ...aPendingPayment().toSnapshot(), customerId: null } });

        await executor.executeFraudChecks(anonymous);
        await executor.executeFraudChecks(aHookContext());

        expect(records).toEqual(['customer:customer_1']);
      });
    });

    describe('when the counter store is down', () => {
      it('should fail closed by default, refusing the payment', async () => {
        const store: VelocityCounterStore = { record: () => Promise.reject(new Error('redis: connection refused')) };
        const { pay } = setUp(5, HOUR, { store });

        expect(await pay()).toMatchObject({ allowed: false, riskScore: 1, deniedBy: 'VelocityFraudCheck' });
      });
    });
  });

  describe('constructor', () => {
    it('should be named and prioritised as documented', () => {
      expect(new VelocityFraudCheck(10, HOUR)).toMatchObject({ name: 'VelocityFraudCheck', priority: 80, limit: 10, windowMs: HOUR });
    });

    describe('when the limit or window is invalid', () => {
      it.each([
        [0, HOUR, 'limit'],
        [1.5, HOUR, 'limit'],
        [1, 0, 'windowMs'],
        [1, Number.POSITIVE_INFINITY, 'windowMs'],
      ])('should reject limit %p, window %p', (limit, windowMs, field) => {
        expect(() => new VelocityFraudCheck(limit, windowMs)).toThrow(expect.objectContaining({ code: 'HOOK.INVALID_OPTION', field }) as Error);
      });
    });
  });
});
