import { ValidationError, VirtualClock } from '@aegispay/domain';
import { aChargeRequest } from './__fixtures__/charge-requests';
import type { ChaosConfig } from './chaos-config';
import { ChaosErrorType } from './chaos-error-type';
import type { ChaosExperiment } from './chaos-experiment';
import { ChaosGateway } from './chaos.gateway';
import { ChaosInjectedError } from './chaos.errors';
import { ChaosOrchestrator } from './chaos.orchestrator';
import { FakeCircuitBreakerEvents, RecordingGateway } from './testing';

function virtual() {
  const clock = new VirtualClock({ autoAdvance: true });
  return { clock, orchestrator: new ChaosOrchestrator({ clock }) };
}

/** The spec's example configuration. */
const specConfig: ChaosConfig = {
  enabled: true,
  failureRate: 0.3,
  errorTypes: [ChaosErrorType.NETWORK_ERROR, ChaosErrorType.TIMEOUT, ChaosErrorType.SERVICE_UNAVAILABLE],
  latencyRate: 0.4,
  latencyMs: { min: 100, max: 3000 },
  timeoutRate: 0.1,
  timeoutMs: 5000,
  intermittentFailureWindow: 10000,
  intermittentFailureBurst: 3,
  seed: 42,
  maxInjections: 1000,
};

describe('ChaosOrchestrator', () => {
  describe('.runExperiment', () => {
    describe('when run for a duration on virtual time', () => {
      it('should pace calls every intervalMs (100 ms by default) until the duration is over', async () => {
        const { clock, orchestrator } = virtual();
        const starts: number[] = [];
        const result = await orchestrator.runExperiment({ name: 'pacing', duration: 60_000 }, ({ startedAt }) => {
          starts.push(startedAt);
        });
        expect(result.totalRequests).toBe(600);
        expect(starts.map((at) => at - result.startedAt).slice(0, 3)).toEqual([0, 100, 200]);
        expect((starts.at(-1) ?? 0) - result.startedAt).toBe(59_900);
        expect(result.durationMs).toBe(60_000);
        expect(result.endedAt).toBe(clock.now());
        expect(result.configuration).toMatchObject({ duration: 60_000, iterations: null, concurrency: 1, intervalMs: 100 });
      });

      it('should run the spec experiment of 500+ calls through a chaos gateway in 60 s of virtual time', async () => {
        const { clock, orchestrator } = virtual();
        const inner = new RecordingGateway({ clock, latencyMs: 20 });
        const gateway = new ChaosGateway(inner, specConfig, { clock });
        let n = 0;
        const experiment: ChaosExperiment = {
          name: 'Gateway Resilience Test',
          description: 'Test system under 30% failure rate',
          duration: 60_000,
          concurrency: 16,
          intervalMs: 500,
          config: specConfig,
          expectedSuccessRate: 0.3,
          maxAverageLatency: 2_000,
          gateways: [gateway],
          validateInvariants: () => inner.approvedReferences().every((reference) => inner.attemptsFor(reference) === 1),
        };
        const result = await orchestrator.runExperiment(experiment, () => gateway.charge(aChargeRequest(`pay_${n++}`)));

        expect(result.totalRequests).toBeGreaterThanOrEqual(500);
        expect(result.durationMs).toBeGreaterThanOrEqual(60_000);
        expect(result.durationMs).toBeLessThan(66_000);
        expect(result.successfulRequests + result.failedRequests).toBe(result.totalRequests);
        expect(result.errorsByType['ChaosInjectedError'] ?? 0).toBeGreaterThan(0);
        expect(result.errorsByType['ChaosTimeoutError'] ?? 0).toBeGreaterThan(0);
        expect(result.invariantsHeld).toBe(true);
        expect(result.seed).toBe(42);
        expect(result.chaos?.gateways[0]).toMatchObject({ gateway: 'STRIPE', seed: 42, calls: result.totalRequests });
        const stats = gateway.getStats();
        expect(result.chaos?.totals.injections).toEqual(stats.injections);
        expect(result.failedRequests).toBe(
          stats.injections.errors + stats.injections.timeouts + stats.injections.intermittent,
        );
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when run for a number of iterations', () => {
      it('should make exactly that many calls with distinct iteration indexes, never more than `concurrency` at once', async () => {
        const { clock, orchestrator } = virtual();
        let inFlight = 0;
        let peak = 0;
        const iterations: number[] = [];
        const result = await orchestrator.runExperiment({ name: 'iterations', iterations: 103, concurrency: 8 }, async (ctx) => {
          iterations.push(ctx.iteration);
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await clock.sleep(10 + (ctx.iteration % 7));
          inFlight -= 1;
        });
        expect(result.totalRequests).toBe(103);
        expect([...iterations].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
        expect(peak).toBe(8);
        expect(result.configuration.intervalMs).toBe(0);
      });

      it('should stop at whichever of duration and iterations comes first', async () => {
        const { orchestrator } = virtual();
        const result = await orchestrator.runExperiment({ name: 'both', iterations: 10, duration: 60_000 }, () => undefined);
        expect(result.totalRequests).toBe(10);
      });
    });

    describe('when measuring latency', () => {
      it('should include failed calls and compute exact percentiles over every call', async () => {
        const { clock, orchestrator } = virtual();
        const result = await orchestrator.runExperiment({ name: 'latency', iterations: 100 }, async ({ iteration }) => {
          await clock.sleep(iteration + 1);
          if (iteration >= 90) throw new Error('slow and failed');
        });
        expect(result).toMatchObject({
          averageLatency: 50.5,
          p50Latency: 50,
          p95Latency: 95,
          p99Latency: 99,
          maxLatency: 100,
          failedRequests: 10,
          errorsByType: { Error: 10 },
        });
      });
    });

    describe('when every criterion holds', () => {
      it('should pass and report each verdict with expected and actual values', async () => {
        const { orchestrator } = virtual();
        const breakers = new FakeCircuitBreakerEvents();
        const result = await orchestrator.runExperiment(
          {
            name: 'passing',
            iterations: 10,
            expectedSuccessRate: 0.8,
            maxCircuitBreakerOpens: 1,
            maxAverageLatency: 10,
            circuitBreakers: breakers,
            validateInvariants: async () => true,
          },
          ({ iteration }) => {
            if (iteration === 0) breakers.emitOpen('STRIPE', 1);
            if (iteration === 9) throw new ChaosInjectedError({
              type: 'NETWORK_ERROR',
              kind: 'ERROR',
              gateway: 'STRIPE',
              operation: 'charge',
              reference: 'r',
              mayHaveBeenSent: false,
            });
          },
        );
        expect(result.success).toBe(true);
        expect(result.criteria).toEqual({
          successRate: { expected: 0.8, actual: 0.9, comparison: 'AT_LEAST', passed: true },
          circuitBreakerOpens: { expected: 1, actual: 1, comparison: 'AT_MOST', passed: true },
          averageLatency: { expected: 10, actual: 0, comparison: 'AT_MOST', passed: true },
          invariants: { expected: true, actual: true, passed: true },
        });
        expect(result.errorsByType).toEqual({ ChaosInjectedError: 1 });
      });
    });

    describe('when a criterion fails', () => {
      const failing: readonly [string, Partial<ChaosExperiment>, keyof ChaosExperimentCriteriaKeys][] = [
        ['the success rate is too low', { expectedSuccessRate: 0.95 }, 'successRate'],
        ['the breakers opened too often', { maxCircuitBreakerOpens: 0 }, 'circuitBreakerOpens'],
        ['the average latency is too high', { maxAverageLatency: 4 }, 'averageLatency'],
        ['the invariants do not hold', { validateInvariants: () => false }, 'invariants'],
      ];
      type ChaosExperimentCriteriaKeys = Record<'successRate' | 'circuitBreakerOpens' | 'averageLatency' | 'invariants', true>;

      it.each(failing)('should fail when %s', async (_, criterion, key) => {
        const { clock, orchestrator } = virtual();
        const breakers = new FakeCircuitBreakerEvents();
        const result = await orchestrator.runExperiment(
          { name: 'failing', iterations: 10, circuitBreakers: breakers, ...criterion },
          async ({ iteration }) => {
            await clock.sleep(5);
            if (iteration === 3) breakers.emitOpen('PAYPAL');
            if (iteration % 5 === 0) throw new Error('boom');
          },
        );
        expect(result.success).toBe(false);
        expect(result.aborted).toBe(false);
        expect(result.criteria[key]?.passed).toBe(false);
      });

      it('should fail and keep the message when the invariant check throws', async () => {
        const { orchestrator } = virtual();
        const result = await orchestrator.runExperiment(
          {
            name: 'throwing invariants',
            iterations: 1,
            validateInvariants: () => {
              throw new Error('database unreachable');
            },
          },
          () => undefined,
        );
        expect(result).toMatchObject({ success: false, invariantsHeld: false, invariantError: 'database unreachable' });
      });
    });

    describe('when the abort condition trips', () => {
      it('should stop starting calls, finish those in flight, and say why', async () => {
        const { clock, orchestrator } = virtual();
        let started = 0;
        const result = await orchestrator.runExperiment(
          {
            name: 'blast radius',
            iterations: 1_000,
            concurrency: 4,
            abortCondition: { windowSize: 20, minSuccessRate: 0.5 },
            expectedSuccessRate: 0,
            validateInvariants: () => true,
          },
          async ({ iteration }) => {
            started += 1;
            await clock.sleep(10);
            if (iteration >= 100) throw new Error('outage');
          },
        );
        expect(result.aborted).toBe(true);
        expect(result.success).toBe(false);
        expect(result.abortReason).toMatch(/^Success rate over the last 20 calls fell to 45% \(floor 50%\) after 111 calls/);
        expect(result.totalRequests).toBe(started);
        expect(result.totalRequests).toBeLessThan(120);
        expect(result.invariantsHeld).toBe(true);
      });
    });

    describe('when no abort condition is set', () => {
      it('should run to the end whatever the success rate', async () => {
        const { orchestrator } = virtual();
        const result = await orchestrator.runExperiment({ name: 'no abort', iterations: 50 }, () => {
          throw new Error('down');
        });
        expect(result).toMatchObject({ aborted: false, abortReason: null, totalRequests: 50, successRate: 0, success: true });
      });
    });

    describe('when counting circuit breaker openings', () => {
      it('should count only openings during the run, per gateway, and unsubscribe afterwards', async () => {
        const { orchestrator } = virtual();
        const breakers = new FakeCircuitBreakerEvents();
        breakers.emitOpen('STRIPE');
        const result = await orchestrator.runExperiment(
          { name: 'opens', iterations: 3, circuitBreakers: breakers },
          ({ iteration }) => {
            breakers.emitOpen(iteration === 2 ? 'ADYEN' : 'STRIPE');
          },
        );
        breakers.emitOpen('STRIPE');
        expect(result.circuitBreakerOpens).toBe(3);
        expect(result.circuitBreakerOpensByGateway).toEqual({ STRIPE: 2, ADYEN: 1 });
        expect(breakers.listenerCount).toBe(0);
      });

      it('should use the orchestrator source when the experiment names none, and report null without any', async () => {
        const clock = new VirtualClock({ autoAdvance: true });
        const breakers = new FakeCircuitBreakerEvents();
        const withSource = await new ChaosOrchestrator({ clock, circuitBreakers: breakers }).runExperiment(
          { name: 'a', iterations: 1 },
          () => breakers.emitOpen('SQUARE'),
        );
        const without = await new ChaosOrchestrator({ clock }).runExperiment({ name: 'b', iterations: 1 }, () => undefined);
        expect(withSource.circuitBreakerOpens).toBe(1);
        expect(without.circuitBreakerOpens).toBeNull();
      });
    });

    describe('when results are returned as values', () => {
      it('should count the failures classifyResult names', async () => {
        const { orchestrator } = virtual();
        const result = await orchestrator.runExperiment(
          {
            name: 'values',
            iterations: 4,
            classifyResult: (value: string) => (value === 'ok' ? null : value),
          },
          ({ iteration }) => (iteration % 2 === 0 ? 'ok' : 'TECHNICAL_FAILURE'),
        );
        expect(result).toMatchObject({ successfulRequests: 2, errorsByType: { TECHNICAL_FAILURE: 2 } });
      });
    });

    describe('when the result is serialised', () => {
      it('should survive a JSON round trip unchanged and carry seed and configuration', async () => {
        const { orchestrator } = virtual();
        const clock = new VirtualClock({ autoAdvance: true });
        const gateway = new ChaosGateway(new RecordingGateway({ clock }), { failureRate: 0.5, seed: 3 }, { clock });
        let n = 0;
        const result = await orchestrator.runExperiment(
          {
            name: 'json',
            iterations: 20,
            config: { failureRate: 0.5, seed: 3 },
            gateways: [gateway],
            abortCondition: { windowSize: 100, minSuccessRate: 0.1 },
            circuitBreakers: new FakeCircuitBreakerEvents(),
          },
          () => gateway.charge(aChargeRequest(`j${n++}`)),
        );
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
        expect(result.seed).toBe(3);
        expect(result.configuration).toEqual({
          duration: null,
          iterations: 20,
          concurrency: 1,
          intervalMs: 0,
          expectedSuccessRate: null,
          maxCircuitBreakerOpens: null,
          maxAverageLatency: null,
          abortCondition: { windowSize: 100, minSuccessRate: 0.1 },
          chaos: { failureRate: 0.5, seed: 3 },
        });
      });
    });

    describe('when an AFTER timeout leaves a slower real charge running past the last call', () => {
      it('should let it land before checking invariants and counting injections', async () => {
        const { clock, orchestrator } = virtual();
        const inner = new RecordingGateway({ clock, latencyMs: 8_000 });
        const gateway = new ChaosGateway(inner, { timeoutRate: 1, timeoutPhase: 'AFTER', timeoutMs: 1_000, seed: 1 }, { clock });
        const result = await orchestrator.runExperiment(
          {
            name: 'late charge',
            iterations: 1,
            gateways: [gateway],
            // The charge exists, whatever the caller was told: an invariant must see it.
            validateInvariants: () => inner.approvedReferences().length === 1,
          },
          () => gateway.charge(aChargeRequest('r0')),
        );
        expect(result.errorsByType).toEqual({ ChaosTimeoutError: 1 });
        expect(result.durationMs).toBe(1_000);
        expect(result.invariantsHeld).toBe(true);
        expect(result.chaos?.totals.timeoutPhases).toEqual({ before: 0, after: 1, afterApproved: 1 });
      });
    });

    describe('when the experiment is invalid', () => {
      const cases: readonly [string, ChaosExperiment][] = [
        ['name', { name: ' ', iterations: 1 }],
        ['duration', { name: 'x' }],
        ['duration', { name: 'x', duration: -5 }],
        ['iterations', { name: 'x', iterations: 1.5 }],
        ['concurrency', { name: 'x', iterations: 1, concurrency: 0 }],
        ['intervalMs', { name: 'x', duration: 1_000, intervalMs: 0 }],
        ['expectedSuccessRate', { name: 'x', iterations: 1, expectedSuccessRate: 2 }],
        ['maxCircuitBreakerOpens', { name: 'x', iterations: 1, maxCircuitBreakerOpens: 3 }],
        ['maxAverageLatency', { name: 'x', iterations: 1, maxAverageLatency: -1 }],
        ['abortCondition.windowSize', { name: 'x', iterations: 1, abortCondition: { windowSize: 0, minSuccessRate: 0.5 } }],
        ['validateInvariants', { name: 'x', iterations: 1, validateInvariants: true as never }],
        ['classifyResult', { name: 'x', iterations: 1, classifyResult: 'label' as never }],
        ['circuitBreakers', { name: 'x', iterations: 1, circuitBreakers: {} as never }],
        ['gateways.0', { name: 'x', iterations: 1, gateways: [{}] as never }],
        ['seed', { name: 'x', iterations: 1, seed: 'forty-two' as never }],
      ];

      it.each(cases)('should reject %s before running anything', async (field, experiment) => {
        const { orchestrator } = virtual();
        const fn = jest.fn();
        const run = orchestrator.runExperiment(experiment, fn);
        await expect(run).rejects.toBeInstanceOf(ValidationError);
        await expect(run).rejects.toMatchObject({ code: 'CHAOS.INVALID_EXPERIMENT', field });
        expect(fn).not.toHaveBeenCalled();
      });

      it('should reject orchestrator options of the wrong shape at construction', () => {
        expect(() => new ChaosOrchestrator({ circuitBreakers: {} as never })).toThrow(
          expect.objectContaining({ code: 'CHAOS.INVALID_OPTION', field: 'circuitBreakers' }),
        );
        expect(() => new ChaosOrchestrator({ clock: { now: () => 0 } as never })).toThrow(expect.objectContaining({ field: 'clock' }));
      });

      it('should reject a missing experiment function', async () => {
        const { orchestrator } = virtual();
        await expect(orchestrator.runExperiment({ name: 'x', iterations: 1 }, undefined as never)).rejects.toMatchObject({
          code: 'CHAOS.INVALID_EXPERIMENT',
          field: 'fn',
        });
      });
    });
  });
});
