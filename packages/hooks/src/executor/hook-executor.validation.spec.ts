import { FakeClock, aPaidPayment } from '@aegispay/domain/testing';

import type { PrePaymentValidationHook, ValidationResult } from '../hooks/validation.hook';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext } from '../testing';
import { HookExecutor, type HookExecutorOptions } from './hook-executor';
import type { HookFailure } from './hook-outcomes';

function executorFor(registry: HookRegistry, options: HookExecutorOptions = {}): HookExecutor {
  return new HookExecutor(registry, { clock: new FakeClock(), ...options });
}

function validator(name: string, priority: number, answer: () => ValidationResult | Promise<ValidationResult>, extra: Partial<PrePaymentValidationHook> = {}): PrePaymentValidationHook {
  return { name, priority, enabled: true, execute: answer, ...extra };
}

describe(HookExecutor, () => {
  describe('.executePreValidation', () => {
    describe('when no validator is registered', () => {
      it('should find the payment valid', async () => {
        const outcome = await executorFor(new HookRegistry()).executePreValidation(aHookContext());

        expect(outcome).toEqual({ valid: true, errors: [], warnings: [], failures: [] });
      });
    });

    describe('when several validators refuse', () => {
      it('should run every validator and aggregate their errors in priority order with each hook name', async () => {
        const registry = new HookRegistry();
        const calls: string[] = [];
        registry.registerPreValidation(validator('Low', 1, () => (calls.push('Low'), { valid: false, errors: ['low-1'] })));
        registry.registerPreValidation(validator('High', 10, () => (calls.push('High'), { valid: false, errors: ['high-1', 'high-2'] })));
        registry.registerPreValidation(validator('Fine', 5, () => (calls.push('Fine'), { valid: true, warnings: ['check later'] })));

        const outcome = await executorFor(registry).executePreValidation(aHookContext());

        expect(calls).toEqual(['High', 'Fine', 'Low']);
        expect(outcome.valid).toBe(false);
        expect(outcome.errors).toEqual([
          { hook: 'High', message: 'high-1' },
          { hook: 'High', message: 'high-2' },
          { hook: 'Low', message: 'low-1' },
        ]);
        expect(outcome.warnings).toEqual([{ hook: 'Fine', message: 'check later' }]);
      });
    });

    describe('when a validator refuses without saying why', () => {
      it('should add an error naming the validator', async () => {
        const registry = new HookRegistry();
        registry.registerPreValidation(validator('Terse', 0, () => ({ valid: false })));

        const outcome = await executorFor(registry).executePreValidation(aHookContext());

        expect(outcome.errors).toEqual([{ hook: 'Terse', message: 'Refused by validation hook "Terse"' }]);
      });
    });

    describe('when a validator says valid but lists errors', () => {
      it('should go by `valid` and ignore the errors', async () => {
        const registry = new HookRegistry();
        registry.registerPreValidation(validator('Confused', 0, () => ({ valid: true, errors: ['ignored'] })));

        expect((await executorFor(registry).executePreValidation(aHookContext())).valid).toBe(true);
      });
    });

    describe('when a validator throws (fail-closed by default)', () => {
      it('should refuse the payment with an error naming the hook, without its internal message', async () => {
        const registry = new HookRegistry();
        const reported: [HookFailure, unknown][] = [];
        const secret = new Error('connect ECONNREFUSED 10.0.0.7:5432 user=admin');
        registry.registerPreValidation(validator('Blacklist', 0, () => Promise.reject(secret)));

        const outcome = await executorFor(registry, { onHookFailure: (f, e) => reported.push([f, e]) }).executePreValidation(aHookContext());

        expect(outcome.valid).toBe(false);
        expect(outcome.errors).toEqual([
          { hook: 'Blacklist', message: 'Validation hook "Blacklist" could not complete (threw an error); the payment is refused' },
        ]);
        expect(outcome.failures).toEqual([
          { hook: 'Blacklist', hookType: 'PRE_VALIDATION', kind: 'ERROR', reason: 'threw an error', policy: 'FAIL_CLOSED', durationMs: 0 },
        ]);
        expect(JSON.stringify(outcome)).not.toContain('ECONNREFUSED');
        expect(reported).toEqual([[outcome.failures[0], secret]]);
      });
    });

    describe('when a failing validator is registered FAIL_OPEN', () => {
      it('should skip it and keep the payment valid, listing the failure', async () => {
        const registry = new HookRegistry();
        registry.registerPreValidation(
          validator('Optional', 0, () => {
            throw new Error('boom');
          }),
          { failurePolicy: 'FAIL_OPEN' },
        );

        const outcome = await executorFor(registry).executePreValidation(aHookContext());

        expect(outcome.valid).toBe(true);
        expect(outcome.failures.map((f) => [f.hook, f.policy])).toEqual([['Optional', 'FAIL_OPEN']]);
      });
    });

    describe('when a validator returns a malformed answer', () => {
      it('should count it as an INVALID_RESULT failure and fail closed', async () => {
        const registry = new HookRegistry();
        registry.registerPreValidation(validator('Sloppy', 0, () => ({ valid: 'yes' }) as unknown as ValidationResult));

        const outcome = await executorFor(registry).executePreValidation(aHookContext());

        expect(outcome.valid).toBe(false);
        expect(outcome.failures[0]).toMatchObject({ kind: 'INVALID_RESULT', reason: 'returned an invalid result: valid must be a boolean' });
      });
    });
  });

  describe('.executePostValidation', () => {
    describe('when post-validators look at a processed payment', () => {
      it('should run only post-validators, on the processed payment, with the same aggregation', async () => {
        const registry = new HookRegistry();
        registry.registerPreValidation(validator('PreOnly', 0, () => ({ valid: false, errors: ['never'] })));
        registry.registerPostValidation({
          name: 'CapturedGateway',
          priority: 0,
          enabled: true,
          execute: ({ payment }) =>
            payment.status === 'PAID' && payment.gateway === 'ADYEN' ? { valid: true } : { valid: false, errors: [`captured by ${payment.gateway}`] },
        });

        const outcome = await executorFor(registry).executePostValidation(aHookContext({ payment: aPaidPayment() }));

        expect(outcome.valid).toBe(false);
        expect(outcome.errors).toEqual([{ hook: 'CapturedGateway', message: 'captured by STRIPE' }]);
      });
    });
  });
});
