import { VirtualClock, type ChargeResult } from '@aegispay/domain';
import { CircuitBreakerManager, CircuitBreakerOpenError } from '@aegispay/resilience';
import { aChargeRequest } from './__fixtures__/charge-requests';
import type { ChaosConfig } from './chaos-config';
import { ChaosGateway } from './chaos.gateway';
import { ChaosOrchestrator } from './chaos.orchestrator';
import { RecordingGateway } from './testing';

function world(config: ChaosConfig) {
  const clock = new VirtualClock({ autoAdvance: true });
  const manager = new CircuitBreakerManager({ clock, failureThreshold: 5, openTimeout: 5_000, successThreshold: 2 });
  const gateway = new ChaosGateway(new RecordingGateway({ name: 'PAYPAL', clock, latencyMs: 20 }), config, { clock });
  const breaker = manager.getBreaker(gateway.name);
  let n = 0;
  const pay = (): Promise<ChargeResult> => breaker.execute(() => gateway.charge(aChargeRequest(`pay_${n++}`)));
  return { clock, manager, gateway, pay };
}

describe('ChaosOrchestrator with a CircuitBreakerManager', () => {
  describe('when chaos trips the real breaker during an experiment', () => {
    it('should count openings from its event stream, not rejected calls', async () => {
      const { clock, manager, gateway, pay } = world({
        failureRate: 0.5,
        errorTypes: ['SERVICE_UNAVAILABLE'],
        seed: 42,
      });
      const opens: number[] = [];
      manager.onOpen((event) => opens.push(event.at));

      const result = await new ChaosOrchestrator({ clock, circuitBreakers: manager }).runExperiment(
        { name: 'breaker under chaos', duration: 60_000, intervalMs: 100, maxCircuitBreakerOpens: 2, gateways: [gateway] },
        pay,
      );

      const rejected = result.errorsByType[CircuitBreakerOpenError.name] ?? 0;
      expect(opens.length).toBeGreaterThan(2);
      expect(result.circuitBreakerOpens).toBe(opens.length);
      expect(result.circuitBreakerOpensByGateway).toEqual({ PAYPAL: opens.length });
      expect(rejected).toBeGreaterThan(opens.length);
      expect(result.criteria.circuitBreakerOpens).toEqual({
        expected: 2,
        actual: opens.length,
        comparison: 'AT_MOST',
        passed: false,
      });
      expect(result.success).toBe(false);
    });
  });

  describe('when injected failures are returned as values', () => {
    it('should still open the breaker, which classifies technical-failure results', async () => {
      const { clock, manager, gateway, pay } = world({
        failureRate: 0.5,
        failureMode: 'RESULT',
        errorTypes: ['INTERNAL_ERROR'],
        seed: 42,
      });
      const result = await new ChaosOrchestrator({ clock }).runExperiment(
        {
          name: 'returned failures',
          iterations: 300,
          intervalMs: 100,
          circuitBreakers: manager,
          gateways: [gateway],
          classifyResult: (value: ChargeResult) => (value.outcome === 'APPROVED' ? null : value.outcome),
        },
        pay,
      );
      expect(result.circuitBreakerOpens).toBeGreaterThan(0);
      expect(result.errorsByType['TECHNICAL_FAILURE']).toBe(result.chaos?.totals.injections.errors);
    });
  });

  describe('when the run is over', () => {
    it('should have unsubscribed from the manager', async () => {
      const { clock, manager, pay } = world({ seed: 1 });
      const unsubscribed = jest.fn();
      const subscribe = manager.onOpen.bind(manager);
      jest.spyOn(manager, 'onOpen').mockImplementation((listener) => {
        const unsubscribe = subscribe(listener);
        return () => {
          unsubscribed();
          unsubscribe();
        };
      });
      const result = await new ChaosOrchestrator({ clock, circuitBreakers: manager }).runExperiment(
        { name: 'quiet', iterations: 10 },
        pay,
      );
      expect(manager.onOpen).toHaveBeenCalledTimes(1);
      expect(unsubscribed).toHaveBeenCalledTimes(1);
      expect(result.circuitBreakerOpens).toBe(0);
    });
  });
});
