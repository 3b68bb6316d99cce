import { FakeClock } from '@aegispay/domain/testing';

import type { FraudCheckHook, FraudCheckResult } from '../hooks/fraud-check.hook';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext, StaticFraudCheck } from '../testing';
import { HookExecutor, type HookExecutorOptions } from './hook-executor';

function setUp(checks: FraudCheckHook[], options: HookExecutorOptions = {}): HookExecutor {
  const registry = new HookRegistry();
  for (const check of checks) registry.registerFraudCheck(check);
  return new HookExecutor(registry, { clock: new FakeClock(), ...options });
}

function throwing(name: string, priority: number, extra: Partial<FraudCheckHook> = {}): FraudCheckHook {
  return {
    name,
    priority,
    enabled: true,
    execute: () => {
      throw new Error('fraud service said: api key sk_live_123 rejected');
    },
    ...extra,
  };
}

describe(HookExecutor, () => {
  describe('.executeFraudChecks', () => {
    describe('when no check is registered', () => {
      it('should allow the payment with risk 0', async () => {
        expect(await setUp([]).executeFraudChecks(aHookContext())).toEqual({
          allowed: true,
          riskScore: 0,
          deniedBy: null,
          results: [],
          failures: [],
        });
      });
    });

    describe('when every check allows', () => {
      it('should allow with the highest risk score', async () => {
        const outcome = await setUp([
          new StaticFraudCheck('A', { allowed: true, riskScore: 0.3 }, 10),
          new StaticFraudCheck('B', { allowed: true, riskScore: 0.5 }, 5),
          new StaticFraudCheck('C', { allowed: true }, 1),
        ]).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({ allowed: true, riskScore: 0.5, deniedBy: null });
        expect(outcome.reason).toBeUndefined();
        expect(outcome.results.map((r) => [r.hook, r.riskScore])).toEqual([
          ['A', 0.3],
          ['B', 0.5],
          ['C', 0],
        ]);
      });
    });

    describe('when two checks refuse', () => {
      it('should take the first refusal in priority order and stop running checks', async () => {
        const low = new StaticFraudCheck('Low', { allowed: false, riskScore: 1, reason: 'low says no' }, 1);
        const high = new StaticFraudCheck('High', { allowed: false, riskScore: 0.6, reason: 'high says no' }, 9);
        const after = new StaticFraudCheck('After', { allowed: true }, 0);

        const outcome = await setUp([low, high, after]).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({ allowed: false, reason: 'high says no', deniedBy: 'High', riskScore: 0.6 });
        expect([high.calls, low.calls, after.calls]).toEqual([1, 0, 0]);
      });

      it('should run the rest for the record when stopOnFirstDeny is false, with the same verdict', async () => {
        const low = new StaticFraudCheck('Low', { allowed: false, riskScore: 1, reason: 'low says no' }, 1);
        const high = new StaticFraudCheck('High', { allowed: false, riskScore: 0.6, reason: 'high says no' }, 9);

        const outcome = await setUp([low, high], { stopOnFirstDeny: false }).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({ allowed: false, reason: 'high says no', deniedBy: 'High', riskScore: 1 });
        expect(outcome.results.map((r) => r.hook)).toEqual(['High', 'Low']);
      });
    });

    describe('when a check refuses without a score or a reason', () => {
      it('should score it 1 and give a reason naming the check', async () => {
        const outcome = await setUp([new StaticFraudCheck('Quiet', { allowed: false })]).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({ allowed: false, riskScore: 1, reason: 'Refused by fraud check "Quiet"', deniedBy: 'Quiet' });
      });
    });

    describe('when no check refuses but the risk reaches the threshold', () => {
      it('should refuse at the default threshold of 0.8, naming the riskiest check', async () => {
        const outcome = await setUp([
          new StaticFraudCheck('Calm', { allowed: true, riskScore: 0.2 }, 2),
          new StaticFraudCheck('Nervous', { allowed: true, riskScore: 0.8 }, 1),
        ]).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({
          allowed: false,
          riskScore: 0.8,
          deniedBy: 'Nervous',
          reason: 'Risk score 0.8 from fraud check "Nervous" reached the threshold of 0.8',
        });
      });

      it('should follow a configured threshold', async () => {
        const checks = (): FraudCheckHook[] => [new StaticFraudCheck('Nervous', { allowed: true, riskScore: 0.85 })];

        expect((await setUp(checks(), { riskThreshold: 0.9 }).executeFraudChecks(aHookContext())).allowed).toBe(true);
        expect((await setUp(checks(), { riskThreshold: 0.5 }).executeFraudChecks(aHookContext())).allowed).toBe(false);
      });
    });

    describe('when a check throws (fail-closed by default)', () => {
      it('should refuse with risk 1 and a reason naming the check, not its error, and stop', async () => {
        const after = new StaticFraudCheck('After', { allowed: true }, 0);

        const outcome = await setUp([throwing('Remote', 5), after]).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({
          allowed: false,
          riskScore: 1,
          deniedBy: 'Remote',
          reason: 'Fraud check "Remote" could not complete (threw an error); the payment is refused',
        });
        expect(outcome.results).toEqual([
          { hook: 'Remote', allowed: false, riskScore: 1, reason: outcome.reason, failed: true },
        ]);
        expect(outcome.failures).toHaveLength(1);
        expect(JSON.stringify(outcome)).not.toContain('sk_live');
        expect(after.calls).toBe(0);
      });
    });

    describe('when a failing check is FAIL_OPEN', () => {
      it('should leave it out of the verdict and list the failure', async () => {
        const outcome = await setUp([
          throwing('Optional', 5, { failurePolicy: 'FAIL_OPEN' }),
          new StaticFraudCheck('Fine', { allowed: true, riskScore: 0.1 }),
        ]).executeFraudChecks(aHookContext());

        expect(outcome).toMatchObject({ allowed: true, riskScore: 0.1 });
        expect(outcome.results.map((r) => r.hook)).toEqual(['Fine']);
        expect(outcome.failures.map((f) => [f.hook, f.kind, f.policy])).toEqual([['Optional', 'ERROR', 'FAIL_OPEN']]);
      });
    });

    describe('when a check returns a score outside 0–1', () => {
      it('should treat the answer as invalid and fail closed', async () => {
        const outcome = await setUp([new StaticFraudCheck('Wild', { allowed: true, riskScore: 7 } as FraudCheckResult)]).executeFraudChecks(
          aHookContext(),
        );

        expect(outcome.allowed).toBe(false);
        expect(outcome.failures[0]).toMatchObject({ kind: 'INVALID_RESULT', reason: 'returned an invalid result: riskScore must be a number from 0 to 1' });
      });
    });

    describe('when a check returns evidence', () => {
      it('should pass its metadata through, frozen', async () => {
        const outcome = await setUp([new StaticFraudCheck('Evidence', { allowed: true, metadata: { count: 3, seen: ['a'] } })]).executeFraudChecks(
          aHookContext(),
        );

        expect(outcome.results[0]?.metadata).toEqual({ count: 3, seen: ['a'] });
        expect(Object.isFrozen(outcome.results[0]?.metadata?.['seen'])).toBe(true);
      });
    });
  });

  describe('constructor', () => {
    describe('when an option is out of range', () => {
      it.each([
        { riskThreshold: 0 },
        { riskThreshold: 1.2 },
        { minRoutingConfidence: -0.1 },
        { defaultTimeoutMs: 0 },
        { defaultTimeoutMs: Number.POSITIVE_INFINITY },
        { stopOnFirstDeny: 'no' as unknown as boolean },
        { onHookFailure: 5 as unknown as () => void },
        { clock: {} as unknown as FakeClock },
      ])('should reject %o with HOOK.INVALID_OPTION', (options) => {
        expect(() => new HookExecutor(new HookRegistry(), options)).toThrow(
          expect.objectContaining({ code: 'HOOK.INVALID_OPTION', field: Object.keys(options)[0] }) as Error,
        );
      });
    });
  });
});
