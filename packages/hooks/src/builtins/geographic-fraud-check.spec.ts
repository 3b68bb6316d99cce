import { FakeClock, aPendingPayment } from '@aegispay/domain/testing';

import type { HookContext } from '../context/hook-context';
import { HookExecutor } from '../executor/hook-executor';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext } from '../testing';
import { GeographicFraudCheck } from './geographic-fraud-check';

async function check(hook: GeographicFraudCheck, context: HookContext): Promise<{ allowed: boolean; reason?: string; results: readonly { metadata?: unknown }[] }> {
  const registry = new HookRegistry();
  registry.registerFraudCheck(hook);
  return new HookExecutor(registry, { clock: new FakeClock() }).executeFraudChecks(context);
}

describe(GeographicFraudCheck, () => {
  describe('.execute', () => {
    describe('when the context names a blocked country', () => {
      it('should refuse with risk 1, whatever the case of the code', async () => {
        const outcome = await check(new GeographicFraudCheck(['xx']), aHookContext({ metadata: { country: 'XX' } }));

        expect(outcome).toMatchObject({ allowed: false, riskScore: 1, reason: 'Payments from country XX are not accepted' });
        expect(outcome.results[0]?.metadata).toEqual({ country: 'XX', source: 'context.metadata.country' });
      });
    });

    describe("when only the payment's own metadata names a blocked country", () => {
      it('should refuse too, so an allowed context country cannot hide it', async () => {
        const payment = aPendingPayment({ metadata: { country: 'KP' } });

        const outcome = await check(new GeographicFraudCheck(['KP']), aHookContext({ payment, metadata: { country: 'US' } }));

        expect(outcome.allowed).toBe(false);
        expect(outcome.results[0]?.metadata).toEqual({ country: 'KP', source: 'payment.metadata.country' });
      });
    });

    describe('when extra country keys are configured', () => {
      it('should check them as well', async () => {
        const hook = new GeographicFraudCheck(['RU'], { countryKeys: ['country', 'ipCountry'] });

        expect((await check(hook, aHookContext({ metadata: { ipCountry: 'ru' } }))).allowed).toBe(false);
      });
    });

    describe('when no country is known or none is blocked', () => {
      it('should allow', async () => {
        const payment = aPendingPayment({ metadata: {} });

        expect((await check(new GeographicFraudCheck(['XX']), aHookContext({ payment }))).allowed).toBe(true);
        expect((await check(new GeographicFraudCheck(['XX']), aHookContext({ metadata: { country: 'FR' } }))).allowed).toBe(true);
      });
    });
  });

  describe('constructor', () => {
    it('should be named and prioritised as documented, with normalised codes', () => {
      expect(new GeographicFraudCheck([' kp '])).toMatchObject({ name: 'GeographicFraudCheck', priority: 90, blockedCountries: ['KP'] });
    });

    describe('when the codes or keys are blank', () => {
      it('should reject them', () => {
        expect(() => new GeographicFraudCheck([''])).toThrow(expect.objectContaining({ field: 'blockedCountries' }) as Error);
        expect(() => new GeographicFraudCheck(['XX'], { countryKeys: [] })).toThrow(expect.objectContaining({ field: 'countryKeys' }) as Error);
      });
    });
  });
});
