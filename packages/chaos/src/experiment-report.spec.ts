import type { ChaosExperimentResult } from './chaos-experiment';
import { emptyErrorTypeCounts, type ChaosStats } from './chaos-stats';
import { formatReport } from './experiment-report';

/** The numbers of the spec's sample report. */
function specResult(overrides: Partial<ChaosExperimentResult> = {}): ChaosExperimentResult {
  return {
    name: 'Gateway Resilience Test',
    description: 'Test system under 30% failure rate',
    success: true,
    aborted: false,
    abortReason: null,
    seed: 42,
    configuration: {
      duration: 60_000,
      iterations: null,
      concurrency: 1,
      intervalMs: 100,
      expectedSuccessRate: 0.5,
      maxCircuitBreakerOpens: 5,
      maxAverageLatency: 2000,
      abortCondition: null,
      chaos: null,
    },
    startedAt: 0,
    endedAt: 60_000,
    durationMs: 60_000,
    totalRequests: 523,
    successfulRequests: 367,
    failedRequests: 156,
    successRate: 367 / 523,
    circuitBreakerOpens: 3,
    circuitBreakerOpensByGateway: { STRIPE: 3 },
    averageLatency: 485.2314,
    p50Latency: 300,
    p95Latency: 1250,
    p99Latency: 2100,
    maxLatency: 3000,
    errorsByType: { ChaosTimeoutError: 34, CircuitBreakerOpenError: 33, ChaosInjectedError: 89 },
    invariantsHeld: true,
    invariantError: null,
    criteria: {
      successRate: { expected: 0.5, actual: 367 / 523, comparison: 'AT_LEAST', passed: true },
      circuitBreakerOpens: { expected: 5, actual: 3, comparison: 'AT_MOST', passed: true },
      averageLatency: { expected: 2000, actual: 485.2314, comparison: 'AT_MOST', passed: true },
      invariants: { expected: true, actual: true, passed: true },
    },
    chaos: null,
    ...overrides,
  };
}

const SPEC_REPORT = `
════════════════════════════════════════════════════════════
📊 EXPERIMENT RESULTS
════════════════════════════════════════════════════════════
✅ PASSED: Gateway Resilience Test

📈 Metrics:
  Total Requests: 523
  Successful: 367 (70.17%)
  Failed: 156
  Circuit Breaker Opens: 3

⏱️  Latency:
  Average: 485.23ms
  P95: 1250ms
  P99: 2100ms

❗ Errors:
  ChaosInjectedError: 89
  ChaosTimeoutError: 34
  CircuitBreakerOpenError: 33

🔍 Validation:
  Invariants Held: ✅
  Success Rate: ✅ (expected: 50%, actual: 70.17%)
  CB Opens: ✅ (max: 5, actual: 3)
  Latency: ✅ (max: 2000ms, actual: 485.23ms)
  Seed: 42
════════════════════════════════════════════════════════════`.trimStart();

describe('formatReport', () => {
  describe('when given the spec sample result', () => {
    // The spec rounds the actual rate to 70% in the verdict line; we keep two decimals there too,
    // so that a rate of 49.6% against a 50% floor does not read "expected: 50%, actual: 50% ❌".
    it('should render the spec layout line for line, plus the seed', () => {
      expect(formatReport(specResult())).toBe(SPEC_REPORT);
    });
  });

  describe('when the experiment failed and was aborted', () => {
    it('should say FAILED, why it stopped, and mark the failing criteria', () => {
      const report = formatReport(
        specResult({
          success: false,
          aborted: true,
          abortReason: 'Success rate over the last 50 calls fell to 10% (floor 20%) after 80 calls; no new calls were started.',
          invariantsHeld: false,
          invariantError: 'payment pay_7 charged twice',
          circuitBreakerOpens: null,
          criteria: {
            successRate: { expected: 0.5, actual: 0.1, comparison: 'AT_LEAST', passed: false },
            circuitBreakerOpens: null,
            averageLatency: null,
            invariants: { expected: true, actual: false, passed: false },
          },
        }),
      );
      expect(report).toContain('❌ FAILED: Gateway Resilience Test\n⛔ ABORTED: Success rate over the last 50 calls fell to 10%');
      expect(report).toContain('  Invariants Held: ❌ (payment pay_7 charged twice)');
      expect(report).toContain('  Success Rate: ❌ (expected: 50%, actual: 10%)');
      expect(report).toContain('  Circuit Breaker Opens: not measured');
      expect(report).not.toContain('CB Opens:');
    });
  });

  describe('when chaos gateways were observed', () => {
    it('should list the injections of every kind, the timeout phases and the gateway seeds', () => {
      const stats: ChaosStats = {
        gateway: 'ADYEN',
        seed: 7,
        enabled: true,
        calls: 10,
        chaosCalls: 10,
        injections: { total: 9, latency: 2, errors: 2, timeouts: 2, intermittent: 1, cascading: 1, resourceExhaustion: 1 },
        errorTypes: emptyErrorTypeCounts(),
        timeoutPhases: { before: 1, after: 1, afterApproved: 1 },
        injectedLatencyMs: 250,
        innerCalls: 4,
        innerFailures: 0,
        pool: null,
      };
      const report = formatReport(
        specResult({
          invariantsHeld: null,
          criteria: { successRate: null, circuitBreakerOpens: null, averageLatency: null, invariants: null },
          chaos: {
            totals: {
              injections: stats.injections,
              errorTypes: stats.errorTypes,
              timeoutPhases: stats.timeoutPhases,
              injectedLatencyMs: 250,
              calls: 10,
              chaosCalls: 10,
            },
            gateways: [stats],
          },
        }),
      );
      expect(report).toContain(
        [
          '💥 Injections:',
          '  Total: 9',
          '  Latency: 2 (250ms added)',
          '  Errors: 2',
          '  Timeouts: 2',
          '  Intermittent: 1',
          '  Cascading: 1',
          '  Resource Exhaustion: 1',
          '  Timeout phases: before 1, after 1 (1 approved charges the caller never heard of)',
          '  Gateway seeds: ADYEN=7',
        ].join('\n'),
      );
      expect(report).toContain('  Invariants Held: ➖ (not checked)');
    });
  });

  describe('when nothing failed', () => {
    it('should say so under Errors', () => {
      expect(formatReport(specResult({ errorsByType: {} }))).toContain('❗ Errors:\n  (none)\n');
    });
  });
});
