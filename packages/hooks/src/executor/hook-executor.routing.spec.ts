import { FakeClock } from '@aegispay/domain/testing';

import { HookFailedError } from '../errors/hook.errors';
import type { RoutingDecision, RoutingStrategyHook } from '../hooks/routing-strategy.hook';
import { HookRegistry } from '../registry/hook-registry';
import { aRoutingContext } from '../testing';
import { HookExecutor, type HookExecutorOptions } from './hook-executor';

function strategy(name: string, priority: number, decision: RoutingDecision | null, extra: Partial<RoutingStrategyHook> = {}): RoutingStrategyHook & { calls: number } {
  const hook = {
    name,
    priority,
    enabled: true,
    calls: 0,
    execute: () => {
      hook.calls += 1;
      return decision;
    },
    ...extra,
  };
  return hook;
}

function setUp(strategies: RoutingStrategyHook[], options: HookExecutorOptions = {}): HookExecutor {
  const registry = new HookRegistry();
  for (const s of strategies) registry.registerRoutingStrategy(s);
  return new HookExecutor(registry, { clock: new FakeClock(), ...options });
}

describe(HookExecutor, () => {
  describe('.executeRoutingStrategies', () => {
    describe('when the first strategy is confident about an available gateway', () => {
      it('should take its decision, name the strategy, and ask no further', async () => {
        const second = strategy('Second', 1, { gatewayType: 'PAYPAL', confidence: 1, reason: 'second' });
        const outcome = await setUp([
          strategy('First', 9, { gatewayType: 'ADYEN', confidence: 0.9, reason: 'EU card', metadata: { region: 'EU' } }),
          second,
        ]).executeRoutingStrategies(aRoutingContext());

        expect(outcome.decision).toEqual({ strategy: 'First', gatewayType: 'ADYEN', confidence: 0.9, reason: 'EU card', metadata: { region: 'EU' } });
        expect(outcome.considered).toEqual([{ strategy: 'First', gatewayType: 'ADYEN', confidence: 0.9, reason: 'EU card', rejection: null }]);
        expect(second.calls).toBe(0);
      });
    });

    describe('when decisions are unconfident, unavailable or abstentions', () => {
      it('should record why each was passed over and take the first acceptable one', async () => {
        const outcome = await setUp([
          strategy('Abstains', 9, null),
          strategy('Unsure', 8, { gatewayType: 'STRIPE', confidence: 0.69, reason: 'maybe' }),
          strategy('Unavailable', 7, { gatewayType: 'SQUARE', confidence: 1, reason: 'square!' }),
          strategy('AtThreshold', 6, { gatewayType: 'PAYPAL', confidence: 0.7, reason: 'good enough' }),
        ]).executeRoutingStrategies(aRoutingContext());

        expect(outcome.decision).toMatchObject({ strategy: 'AtThreshold', gatewayType: 'PAYPAL' });
        expect(outcome.considered.map((c) => [c.strategy, c.rejection])).toEqual([
          ['Unsure', 'BELOW_CONFIDENCE_THRESHOLD'],
          ['Unavailable', 'GATEWAY_UNAVAILABLE'],
          ['AtThreshold', null],
        ]);
      });
    });

    describe('when no strategy makes an acceptable decision', () => {
      it('should return no decision', async () => {
        const outcome = await setUp([strategy('Unsure', 1, { gatewayType: 'STRIPE', confidence: 0.5, reason: 'meh' })]).executeRoutingStrategies(
          aRoutingContext(),
        );

        expect(outcome.decision).toBeNull();
        expect(outcome.considered).toHaveLength(1);
      });

      it('should take it with a lower minRoutingConfidence', async () => {
        const outcome = await setUp([strategy('Unsure', 1, { gatewayType: 'STRIPE', confidence: 0.5, reason: 'meh' })], {
          minRoutingConfidence: 0.5,
        }).executeRoutingStrategies(aRoutingContext());

        expect(outcome.decision?.gatewayType).toBe('STRIPE');
      });
    });

    describe('when no gateway is available', () => {
      it('should ask no strategy', async () => {
        const only = strategy('Only', 1, { gatewayType: 'STRIPE', confidence: 1, reason: 'x' });

        const outcome = await setUp([only]).executeRoutingStrategies(aRoutingContext({ availableGateways: [] }));

        expect(outcome).toEqual({ decision: null, considered: [], failures: [] });
        expect(only.calls).toBe(0);
      });
    });

    describe('when the context is not an object', () => {
      it('should reject it with a typed error, not a TypeError', async () => {
        await expect(setUp([]).executeRoutingStrategies(null as unknown as ReturnType<typeof aRoutingContext>)).rejects.toMatchObject({ code: 'HOOK.INVALID_CONTEXT' });
      });
    });

    describe('when availableGateways is missing', () => {
      it('should reject the context', async () => {
        const context = { ...aRoutingContext(), availableGateways: undefined } as unknown as ReturnType<typeof aRoutingContext>;

        await expect(setUp([]).executeRoutingStrategies(context)).rejects.toMatchObject({ code: 'HOOK.INVALID_CONTEXT', field: 'availableGateways' });
      });
    });

    describe('when a strategy fails (fail-open by default)', () => {
      it('should skip it and ask the next', async () => {
        const outcome = await setUp([
          strategy('Broken', 9, null, {
            execute: () => {
              throw new Error('x');
            },
          }),
          strategy('Sane', 1, { gatewayType: 'STRIPE', confidence: 0.8, reason: 'ok' }),
        ]).executeRoutingStrategies(aRoutingContext());

        expect(outcome.decision?.strategy).toBe('Sane');
        expect(outcome.failures.map((f) => [f.hook, f.policy])).toEqual([['Broken', 'FAIL_OPEN']]);
      });
    });

    describe('when a failing strategy is FAIL_CLOSED', () => {
      it('should reject with a HookFailedError naming it', async () => {
        const executor = setUp([
          strategy('Mandatory', 9, { gatewayType: 'STRIPE', confidence: 2, reason: 'overconfident' }, { failurePolicy: 'FAIL_CLOSED' }),
        ]);

        const error: unknown = await executor.executeRoutingStrategies(aRoutingContext()).catch((e: unknown) => e);

        expect(HookFailedError.is(error)).toBe(true);
        expect(error).toMatchObject({
          code: 'HOOK.FAILED',
          hookName: 'Mandatory',
          kind: 'INVALID_RESULT',
          message: 'Hook "Mandatory" (ROUTING_STRATEGY) failed: returned an invalid result: confidence must be a number from 0 to 1.',
        });
      });
    });
  });
});
