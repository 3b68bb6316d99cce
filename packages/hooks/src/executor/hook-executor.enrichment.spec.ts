import { FakeClock, aPendingPayment } from '@aegispay/domain/testing';

import { HookFailedError } from '../errors/hook.errors';
import type { EnrichmentResult, PaymentEnrichmentHook } from '../hooks/enrichment.hook';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext } from '../testing';
import { HookExecutor } from './hook-executor';

function enrichment(name: string, priority: number, execute: PaymentEnrichmentHook['execute'], extra: Partial<PaymentEnrichmentHook> = {}): PaymentEnrichmentHook {
  return { name, priority, enabled: true, execute, ...extra };
}

function setUp(hooks: PaymentEnrichmentHook[]): HookExecutor {
  const registry = new HookRegistry();
  for (const hook of hooks) registry.registerEnrichment(hook);
  return new HookExecutor(registry, { clock: new FakeClock() });
}

describe(HookExecutor, () => {
  describe('.executeEnrichment', () => {
    describe('when hooks add metadata', () => {
      it('should merge their keys over the caller metadata, each hook seeing what came before', async () => {
        const seen: unknown[] = [];
        const outcome = await setUp([
          enrichment('Segment', 1, (context) => {
            seen.push({ ...context.metadata });
            return { metadata: { segment: context.metadata['tier'] === 'gold' ? 'vip' : 'standard' } };
          }),
          enrichment('Tier', 9, () => ({ metadata: { tier: 'gold' } })),
        ]).executeEnrichment(aHookContext({ metadata: { channel: 'web' } }));

        expect(seen).toEqual([{ channel: 'web', tier: 'gold' }]);
        expect(outcome.metadata).toEqual({ channel: 'web', tier: 'gold', segment: 'vip' });
        expect(outcome.added).toEqual({ tier: 'gold', segment: 'vip' });
        expect(outcome.addedBy).toEqual({ tier: 'Tier', segment: 'Segment' });
        expect(Object.isFrozen(outcome.metadata)).toBe(true);
      });
    });

    describe('when a hook tries to overwrite a key that is already set', () => {
      it('should keep the first value and list the attempt', async () => {
        const outcome = await setUp([
          enrichment('GeoIp', 5, () => ({ metadata: { country: 'US', channel: 'app', ipCountry: 'US' } })),
          enrichment('Late', 1, () => ({ metadata: { ipCountry: 'FR' } })),
        ]).executeEnrichment(aHookContext({ metadata: { channel: 'web' } }));

        expect(outcome.metadata).toEqual({ channel: 'web', ipCountry: 'US' });
        expect(outcome.ignored).toEqual([
          { hook: 'GeoIp', key: 'country', keptFrom: 'payment' },
          { hook: 'GeoIp', key: 'channel', keptFrom: 'caller' },
          { hook: 'Late', key: 'ipCountry', keptFrom: 'GeoIp' },
        ]);
      });
    });

    describe('when the orchestrator stores what was added', () => {
      it('should produce entries the payment accepts', async () => {
        const payment = aPendingPayment();
        const outcome = await setUp([enrichment('Risk', 0, () => ({ metadata: { riskTier: 'low', score: 12, manual: false } }))]).executeEnrichment(
          aHookContext({ payment }),
        );

        payment.enrichMetadata(outcome.added);

        expect(payment.metadata).toEqual({ country: 'DE', region: 'EU', riskTier: 'low', score: 12, manual: false });
      });
    });

    describe('when a hook returns metadata the payment could not hold', () => {
      it.each([
        ['a nested object', { nested: { a: 1 } }, 'metadata.nested must be a string, a number or a boolean.'],
        ['a card number', { note: 'card 4242 4242 4242 4242' }, 'metadata.note looks like a card number, which metadata must never hold'],
      ])('should reject %s as an invalid result without echoing it', async (_label, metadata, problem) => {
        const outcome = await setUp([enrichment('Leaky', 0, () => ({ metadata }) as unknown as EnrichmentResult)]).executeEnrichment(aHookContext());

        expect(outcome.added).toEqual({});
        expect(outcome.failures[0]).toMatchObject({ kind: 'INVALID_RESULT', reason: `returned an invalid result: ${problem}` });
        expect(JSON.stringify(outcome)).not.toContain('4242 4242');
      });
    });

    describe('when a hook fails (fail-open by default)', () => {
      it('should skip it and keep the others', async () => {
        const outcome = await setUp([
          enrichment('Down', 9, () => Promise.reject(new Error('geo service down'))),
          enrichment('Up', 1, () => ({ metadata: { tier: 'gold' } })),
        ]).executeEnrichment(aHookContext());

        expect(outcome.added).toEqual({ tier: 'gold' });
        expect(outcome.failures.map((f) => f.hook)).toEqual(['Down']);
      });
    });

    describe('when a failing hook is FAIL_CLOSED', () => {
      it('should reject with a HookFailedError', async () => {
        const executor = setUp([enrichment('Required', 1, () => Promise.reject(new Error('x')), { failurePolicy: 'FAIL_CLOSED' })]);

        const error: unknown = await executor.executeEnrichment(aHookContext()).catch((e: unknown) => e);

        expect(HookFailedError.is(error)).toBe(true);
        expect(error).toMatchObject({ hookName: 'Required', hookType: 'ENRICHMENT', reason: 'threw an error' });
      });
    });
  });
});
