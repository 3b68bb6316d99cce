import fc from 'fast-check';

import { DuplicateHookError, HookConfigurationError, HookNotFoundError } from '../errors/hook.errors';
import type { FraudCheckHook } from '../hooks/fraud-check.hook';
import { HOOK_TYPES, type HookType } from '../hooks/hook';
import { HookRegistry } from './hook-registry';

function fraudCheck(name: string, priority = 0, extra: Partial<FraudCheckHook> = {}): FraudCheckHook {
  return { name, priority, enabled: true, execute: () => ({ allowed: true }), ...extra };
}

const execute = (): never => {
  throw new Error('not called');
};

/** One hook of each type, registered through its own method. */
function registerOneOfEach(registry: HookRegistry): void {
  registry.registerPreValidation({ name: 'pre', priority: 0, enabled: true, execute });
  registry.registerPostValidation({ name: 'post', priority: 0, enabled: true, execute });
  registry.registerFraudCheck({ name: 'fraud', priority: 0, enabled: true, execute });
  registry.registerRoutingStrategy({ name: 'routing', priority: 0, enabled: true, execute });
  registry.registerEnrichment({ name: 'enrichment', priority: 0, enabled: true, execute });
  registry.registerEventListener({ name: 'listener', priority: 0, enabled: true, eventTypes: ['PaymentFailed'], execute });
  registry.registerMetricsCollector({ name: 'metrics', priority: 0, enabled: true, execute });
  registry.registerErrorHandler({ name: 'errors', priority: 0, enabled: true, execute });
}

describe(HookRegistry, () => {
  describe('register methods', () => {
    describe('when one hook of each type is registered', () => {
      it('should file each under its own type', () => {
        const registry = new HookRegistry();
        registerOneOfEach(registry);

        const types = Object.fromEntries(registry.list().map((d) => [d.name, d.type]));
        expect(types).toEqual({
          pre: 'PRE_VALIDATION',
          post: 'POST_VALIDATION',
          fraud: 'FRAUD_CHECK',
          routing: 'ROUTING_STRATEGY',
          enrichment: 'ENRICHMENT',
          listener: 'EVENT_LISTENER',
          metrics: 'METRICS_COLLECTOR',
          errors: 'ERROR_HANDLER',
        });
        for (const type of HOOK_TYPES) expect(registry.enabledHooks(type)).toHaveLength(1);
      });
    });

    describe('when a name is already taken by a hook of another type', () => {
      it('should throw a DuplicateHookError naming both', () => {
        const registry = new HookRegistry();
        registry.registerFraudCheck(fraudCheck('Shared'));

        let thrown: unknown;
        try {
          registry.registerPreValidation({ name: 'Shared', priority: 0, enabled: true, execute });
        } catch (error) {
          thrown = error;
        }

        expect(DuplicateHookError.is(thrown)).toBe(true);
        expect(thrown).toMatchObject({ code: 'HOOK.DUPLICATE_NAME', hookName: 'Shared', existingType: 'FRAUD_CHECK' });
        expect(registry.list().map((d) => d.name)).toEqual(['Shared']);
      });
    });

    describe('when the hook is malformed', () => {
      it.each([
        ['name', { name: '  ' }],
        ['priority', { priority: Number.NaN }],
        ['enabled', { enabled: 'yes' }],
        ['execute', { execute: undefined }],
        ['timeoutMs', { timeoutMs: 0 }],
        ['failurePolicy', { failurePolicy: 'MAYBE' }],
      ])('should reject a bad %s with a HookConfigurationError naming it', (field, patch) => {
        const registry = new HookRegistry();
        const hook = { ...fraudCheck('Broken'), ...patch } as unknown as FraudCheckHook;

        expect(() => registry.registerFraudCheck(hook)).toThrow(
          expect.objectContaining({ code: 'HOOK.INVALID_DEFINITION', field }) as Error,
        );
        expect(registry.size).toBe(0);
      });

      it('should reject registration options that are not an object', () => {
        const registry = new HookRegistry();

        expect(() => registry.registerFraudCheck(fraudCheck('Hook'), null as unknown as undefined)).toThrow(
          expect.objectContaining({ code: 'HOOK.INVALID_DEFINITION', field: 'options' }) as Error,
        );
        expect(registry.size).toBe(0);
      });

      it('should reject an event listener without event types', () => {
        const registry = new HookRegistry();

        expect(() => registry.registerEventListener({ name: 'Deaf', priority: 0, enabled: true, eventTypes: [], execute })).toThrow(
          HookConfigurationError,
        );
      });

      it('should reject an error handler whose canHandle is not a function', () => {
        const registry = new HookRegistry();
        const hook = { name: 'H', priority: 0, enabled: true, canHandle: true, execute } as unknown as Parameters<
          HookRegistry['registerErrorHandler']
        >[0];

        expect(() => registry.registerErrorHandler(hook)).toThrow(expect.objectContaining({ field: 'canHandle' }) as Error);
      });
    });

    describe('when registration options are given', () => {
      it('should let them win over the hook fields', () => {
        const registry = new HookRegistry();
        registry.registerFraudCheck(fraudCheck('Slow', 0, { timeoutMs: 100, failurePolicy: 'FAIL_CLOSED' }), {
          timeoutMs: 250,
          failurePolicy: 'FAIL_OPEN',
        });

        expect(registry.list()[0]).toMatchObject({ timeoutMs: 250, failurePolicy: 'FAIL_OPEN' });
      });
    });

    describe('when the hook object changes after registration', () => {
      it('should keep the priority and enabled flag it read at registration', () => {
        const registry = new HookRegistry();
        const mutable = { ...fraudCheck('Mutable', 1) };
        registry.registerFraudCheck(mutable);
        registry.registerFraudCheck(fraudCheck('Other', 5));

        mutable.priority = 100;
        mutable.enabled = false;

        expect(registry.enabledHooks('FRAUD_CHECK').map((r) => r.name)).toEqual(['Other', 'Mutable']);
      });
    });
  });

  describe('.enabledHooks', () => {
    describe('when priorities differ and tie', () => {
      it('should order by priority, highest first, ties in registration order', () => {
        const registry = new HookRegistry();
        registry.registerFraudCheck(fraudCheck('a', 10));
        registry.registerFraudCheck(fraudCheck('b', 50));
        registry.registerFraudCheck(fraudCheck('c', 10));
        registry.registerFraudCheck(fraudCheck('d', -1));
        registry.registerFraudCheck(fraudCheck('e', 50));

        expect(registry.enabledHooks('FRAUD_CHECK').map((r) => r.name)).toEqual(['b', 'e', 'a', 'c', 'd']);
      });

      it('should be a stable sort by descending priority for any registration sequence', () => {
        fc.assert(
          fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 30 }), (priorities) => {
            const registry = new HookRegistry();
            priorities.forEach((priority, index) => registry.registerFraudCheck(fraudCheck(`h${index}`, priority)));

            const expected = priorities
              .map((priority, index) => ({ priority, name: `h${index}`, index }))
              .sort((x, y) => y.priority - x.priority || x.index - y.index)
              .map((h) => h.name);
            expect(registry.enabledHooks('FRAUD_CHECK').map((r) => r.name)).toEqual(expected);
          }),
        );
      });
    });

    describe('when a hook is disabled', () => {
      it('should leave it out, and put it back in its place when enabled again', () => {
        const registry = new HookRegistry();
        ['a', 'b', 'c'].forEach((name) => registry.registerFraudCheck(fraudCheck(name)));

        registry.disable('b');
        expect(registry.enabledHooks('FRAUD_CHECK').map((r) => r.name)).toEqual(['a', 'c']);
        expect(registry.isEnabled('b')).toBe(false);

        registry.enable('b');
        expect(registry.enabledHooks('FRAUD_CHECK').map((r) => r.name)).toEqual(['a', 'b', 'c']);
      });

      it('should register a hook with enabled: false as disabled', () => {
        const registry = new HookRegistry();
        registry.registerFraudCheck(fraudCheck('off', 0, { enabled: false }));

        expect(registry.enabledHooks('FRAUD_CHECK')).toEqual([]);
        expect(registry.list()[0]).toMatchObject({ name: 'off', enabled: false });
      });
    });
  });

  describe('.unregister', () => {
    describe('when the hook exists', () => {
      it('should remove it, free its name, and queue a re-registration behind equal priorities', () => {
        const registry = new HookRegistry();
        registry.registerFraudCheck(fraudCheck('a'));
        registry.registerFraudCheck(fraudCheck('b'));

        expect(registry.unregister('a')).toBe(true);
        expect(registry.has('a')).toBe(false);
        registry.registerFraudCheck(fraudCheck('a'));

        expect(registry.enabledHooks('FRAUD_CHECK').map((r) => r.name)).toEqual(['b', 'a']);
      });
    });

    describe('when no hook has that name', () => {
      it('should return false', () => {
        expect(new HookRegistry().unregister('ghost')).toBe(false);
      });
    });
  });

  describe('.enable / .disable', () => {
    describe('when no hook has that name', () => {
      it.each(['enable', 'disable', 'isEnabled'] as const)('should make %s throw HookNotFoundError', (method) => {
        const registry = new HookRegistry();

        expect(() => registry[method]('ghost')).toThrow(expect.objectContaining({ code: 'HOOK.NOT_FOUND', hookName: 'ghost' }) as Error);
        expect(HookNotFoundError.is(catchError(() => registry[method]('ghost')))).toBe(true);
      });
    });
  });

  describe('.list', () => {
    describe('when hooks of several types are registered', () => {
      it('should describe them in pipeline order, JSON-safe, and filter by type', () => {
        const registry = new HookRegistry();
        registerOneOfEach(registry);

        const all = registry.list();
        expect(all.map((d) => d.type)).toEqual([...HOOK_TYPES]);
        expect(JSON.parse(JSON.stringify(all))).toEqual(all);
        expect(registry.list('EVENT_LISTENER')).toEqual([
          { name: 'listener', type: 'EVENT_LISTENER', priority: 0, enabled: true, timeoutMs: null, failurePolicy: null, eventTypes: ['PaymentFailed'] },
        ]);
      });
    });
  });

  describe('.listenersFor', () => {
    describe('when listeners name specific types or the wildcard', () => {
      it('should return the enabled ones that match, in order', () => {
        const registry = new HookRegistry();
        registry.registerEventListener({ name: 'failures', priority: 1, enabled: true, eventTypes: ['PaymentFailed'], execute });
        registry.registerEventListener({ name: 'audit', priority: 9, enabled: true, eventTypes: ['*'], execute });
        registry.registerEventListener({ name: 'refunds', priority: 5, enabled: true, eventTypes: ['RefundProcessed'], execute });

        expect(registry.listenersFor('PaymentFailed').map((r) => r.name)).toEqual(['audit', 'failures']);
        expect(registry.listenersFor('RefundProcessed').map((r) => r.name)).toEqual(['audit', 'refunds']);
        registry.disable('audit');
        expect(registry.listenersFor('PaymentSucceeded')).toEqual([]);
      });
    });
  });

  describe('.clear', () => {
    it('should remove every hook of every type', () => {
      const registry = new HookRegistry();
      registerOneOfEach(registry);

      registry.clear();

      expect(registry.size).toBe(0);
      for (const type of HOOK_TYPES as readonly HookType[]) expect(registry.enabledHooks(type)).toEqual([]);
    });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
