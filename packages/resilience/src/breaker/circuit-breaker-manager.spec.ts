import { ValidationError, InvalidOptionError } from '@aegispay/domain';
import { FakeClock } from '@aegispay/domain/testing';
import { aTechnicalFailure } from '../testing';
import { CircuitBreakerManager, type CircuitBreakerManagerOptions } from './circuit-breaker-manager';
import type { StateChangeEvent } from './circuit-breaker-events';
import type { CircuitBreakerSnapshot } from './circuit-breaker-snapshot';
import { InvalidSnapshotError } from './circuit-breaker.errors';

const boom = (): Promise<never> => Promise.reject(new Error('down'));
const ok = (): Promise<string> => Promise.resolve('ok');

describe(CircuitBreakerManager, () => {
  let clock: FakeClock;
  const create = (options: CircuitBreakerManagerOptions = {}): CircuitBreakerManager => new CircuitBreakerManager({ clock, ...options });
  const fail = async (manager: CircuitBreakerManager, gateway: string, times: number): Promise<void> => {
    for (let i = 0; i < times; i += 1) await manager.getBreaker(gateway).execute(boom).catch(() => undefined);
  };

  beforeEach(() => {
    clock = new FakeClock();
  });

  describe('constructor', () => {
    describe('when an option is invalid', () => {
      it('should fail at construction, naming the option, for shared and per-gateway options', () => {
        expect(() => create({ failureThreshold: 0 })).toThrow(InvalidOptionError);
        try {
          create({ overrides: { ADYEN: { openTimeout: -1 } } });
          throw new Error('expected a throw');
        } catch (error) {
          expect(ValidationError.is(error) && error.field).toBe('openTimeout');
        }
        expect(() => create({ includeRecovering: 1 as unknown as boolean })).toThrow(/includeRecovering/);
        expect(() => create({ gateways: 'STRIPE' as unknown as string[] })).toThrow(/gateways/);
        expect(() => create({ overrides: { ADYEN: 1 as never } })).toThrow(/Invalid option overrides\.ADYEN/);
      });
    });

    describe('when gateways and overrides are given', () => {
      it('should create their breakers up front', () => {
        const manager = create({ gateways: ['STRIPE', 'RAZORPAY'], overrides: { ADYEN: { failureThreshold: 1 } } });
        expect(manager.gateways).toEqual(['STRIPE', 'RAZORPAY', 'ADYEN']);
      });
    });
  });

  describe('.getBreaker', () => {
    describe('when called twice for a gateway', () => {
      it('should create the breaker lazily and return the same one', () => {
        const manager = create();
        expect(manager.has('STRIPE')).toBe(false);
        const breaker = manager.getBreaker('STRIPE');
        expect(manager.getBreaker('STRIPE')).toBe(breaker);
        expect(breaker.name).toBe('STRIPE');
      });
    });

    describe('when a gateway has overrides', () => {
      it('should apply them over the shared defaults', async () => {
        const manager = create({ failureThreshold: 5, overrides: { ADYEN: { failureThreshold: 1 } } });
        await fail(manager, 'ADYEN', 1);
        await fail(manager, 'STRIPE', 4);
        expect(manager.getBreaker('ADYEN').state).toBe('OPEN');
        expect(manager.getBreaker('STRIPE').state).toBe('CLOSED');
      });

      it('should not treat inherited object keys as overrides', () => {
        expect(create().getBreaker('toString').state).toBe('CLOSED');
      });
    });
  });

  describe('.getAllHealth', () => {
    describe('when several breakers exist', () => {
      it('should return a Map of their health keyed by gateway', async () => {
        const manager = create({ failureThreshold: 2, gateways: ['STRIPE', 'ADYEN'] });
        await fail(manager, 'ADYEN', 2);
        const all = manager.getAllHealth();
        expect(all).toBeInstanceOf(Map);
        expect([...all.keys()]).toEqual(['STRIPE', 'ADYEN']);
        expect(all.get('STRIPE')?.circuitState).toBe('CLOSED');
        expect(all.get('ADYEN')).toMatchObject({ circuitState: 'OPEN', openCount: 1 });
      });
    });
  });

  describe('.getHealthyGateways', () => {
    describe('when no minimum score is given', () => {
      it('should use each breaker minHealthScore and list the healthiest first', async () => {
        const manager = create({ failureThreshold: 4, minimumNumberOfCalls: 2, gateways: ['A', 'B', 'C'], overrides: { C: { minHealthScore: 0.85 } } });
        await manager.getBreaker('B').execute(ok);
        await manager.getBreaker('B').execute(ok); // B: 0.5 + 0.3 + 0.1 × 2/3
        await fail(manager, 'A', 2); // A: 0.5 + 0 − 0.05 = 0.45
        expect(manager.getHealthyGateways()).toEqual(['B']); // C scores 0.8 < its own 0.85
      });
    });

    describe('when a minimum score is given', () => {
      it('should apply it to every breaker', async () => {
        const manager = create({ gateways: ['A', 'B'], minimumNumberOfCalls: 1 });
        await fail(manager, 'A', 1);
        expect(manager.getHealthyGateways(0.7)).toEqual(['B']);
        expect(manager.getHealthyGateways(0)).toEqual(['B', 'A']);
        expect(() => manager.getHealthyGateways(1.5)).toThrow(/minScore/);
      });
    });

    describe('when a gateway is recovering (half-open with a free probe slot)', () => {
      it('should list it whatever its score, unless includeRecovering is false', async () => {
        for (const includeRecovering of [true, false]) {
          clock = new FakeClock();
          const manager = create({ failureThreshold: 1, openTimeout: 1_000, halfOpenMaxAttempts: 1, includeRecovering, gateways: ['A'] });
          await fail(manager, 'A', 1);
          expect(manager.getHealthyGateways()).toEqual([]);
          await clock.advance(1_000);
          expect(manager.getBreaker('A').getHealth().healthScore).toBeLessThan(0.5);
          expect(manager.getHealthyGateways()).toEqual(includeRecovering ? ['A'] : []);
        }
      });
    });
  });

  describe('events', () => {
    describe('when breakers are created after subscribing', () => {
      it('should stream the events of every breaker, tagged by gateway', async () => {
        const manager = create({ failureThreshold: 1 });
        const opens: StateChangeEvent[] = [];
        const failures: string[] = [];
        const unsubscribe = manager.onOpen((e) => opens.push(e));
        manager.onFailure((e) => failures.push(e.gateway));
        await manager.getBreaker('STRIPE').execute(() => Promise.resolve(aTechnicalFailure()));
        await fail(manager, 'ADYEN', 1);
        expect(opens.map((e) => [e.gateway, e.to, e.reason])).toEqual([
          ['STRIPE', 'OPEN', 'FAILURE_THRESHOLD'],
          ['ADYEN', 'OPEN', 'FAILURE_THRESHOLD'],
        ]);
        expect(failures).toEqual(['STRIPE', 'ADYEN']);
        unsubscribe();
        manager.getBreaker('PAYPAL').isolate();
        expect(opens).toHaveLength(2);
      });

      it('should offer every subscription method, each returning an unsubscribe function', async () => {
        const manager = create({ failureThreshold: 1, openTimeout: 10, successThreshold: 1 });
        const seen: string[] = [];
        const unsubscribers = [
          manager.onStateChange((e) => seen.push(`change:${e.to}`)),
          manager.onHalfOpen(() => seen.push('half')),
          manager.onClose(() => seen.push('close')),
          manager.onSuccess(() => seen.push('success')),
          manager.onReject(() => seen.push('reject')),
        ];
        await fail(manager, 'A', 1);
        await manager.getBreaker('A').execute(ok).catch(() => undefined);
        await clock.advance(10);
        await manager.getBreaker('A').execute(ok);
        expect(seen).toEqual(['change:OPEN', 'reject', 'change:HALF_OPEN', 'half', 'success', 'change:CLOSED', 'close']);
        for (const unsubscribe of unsubscribers) unsubscribe();
        manager.getBreaker('A').isolate();
        expect(seen).toHaveLength(7);
      });
    });

    describe('when a manager listener throws', () => {
      it('should report it to the shared onListenerError and complete the call', async () => {
        const errors: unknown[] = [];
        const manager = create({ onListenerError: (e) => errors.push(e) });
        manager.onSuccess(() => {
          throw new Error('listener bug');
        });
        await expect(manager.getBreaker('A').execute(ok)).resolves.toBe('ok');
        expect(errors).toHaveLength(1);
      });
    });
  });

  describe('.resetAll', () => {
    it('should close every breaker', async () => {
      const manager = create({ failureThreshold: 1 });
      await fail(manager, 'A', 1);
      await fail(manager, 'B', 1);
      manager.resetAll();
      expect([...manager.getAllHealth().values()].map((h) => h.circuitState)).toEqual(['CLOSED', 'CLOSED']);
    });
  });

  describe('.toJSON / .restore', () => {
    describe('when restored into another manager', () => {
      it('should recreate every breaker with its state', async () => {
        const source = create({ failureThreshold: 1 });
        await fail(source, 'A', 1);
        source.getBreaker('B');
        const target = create({ failureThreshold: 1 });
        target.restore(JSON.parse(JSON.stringify(source)) as ReturnType<CircuitBreakerManager['toJSON']>);
        expect(target.getAllHealth()).toEqual(source.getAllHealth());
      });
    });

    describe('when the snapshot is malformed', () => {
      it('should throw an InvalidSnapshotError', () => {
        expect(() => create().restore({ version: 2 } as never)).toThrow(InvalidSnapshotError);
        expect(() => create().restore({ version: 1, breakers: [{}] } as never)).toThrow(InvalidSnapshotError);
      });
    });

    describe('when a later entry of the snapshot is malformed', () => {
      it('should name the entry and leave every breaker as it was', async () => {
        const source = create({ failureThreshold: 1 });
        await fail(source, 'A', 1);
        const [a] = source.toJSON().breakers;
        const target = create({ failureThreshold: 1, gateways: ['A'] });
        const broken = { version: 1 as const, breakers: [a as CircuitBreakerSnapshot, { ...(a as CircuitBreakerSnapshot), gateway: 'B', state: 'BROKEN' as never }] };

        let caught: unknown;
        try {
          target.restore(broken);
        } catch (error) {
          caught = error;
        }
        expect(InvalidSnapshotError.is(caught) && caught.field).toBe('breakers[1].state');
        expect(target.getBreaker('A').state).toBe('CLOSED');
        expect(target.gateways).toEqual(['A']);
      });
    });
  });
});
