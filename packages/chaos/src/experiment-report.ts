import type { ChaosExperimentResult, ThresholdVerdict } from './chaos-experiment';

const RULE = '═'.repeat(60);

/** A number with at most two decimals, trailing zeros dropped: 485.23, 1250, 0.5. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function pct(rate: number): string {
  return `${num(rate * 100)}%`;
}

function mark(passed: boolean): string {
  return passed ? '✅' : '❌';
}

function verdict(label: string, v: ThresholdVerdict, bound: string, unit: (n: number) => string): string {
  const actual = v.actual === null ? 'not measured' : unit(v.actual);
  return `  ${label}: ${mark(v.passed)} (${bound}: ${unit(v.expected)}, actual: ${actual})`;
}

/**
 * Renders a result in the report layout of the spec (metrics, latency, errors, validation),
 * followed by what the spec leaves out: the abort, the injections of the chaos gateways and the
 * seed to replay the run. Returns the text; printing it is the caller's business.
 */
export function formatReport(result: ChaosExperimentResult): string {
  const lines: string[] = [RULE, '📊 EXPERIMENT RESULTS', RULE];
  lines.push(`${result.success ? '✅ PASSED' : '❌ FAILED'}: ${result.name}`);
  if (result.aborted) lines.push(`⛔ ABORTED: ${result.abortReason ?? 'no reason given'}`);

  lines.push('', '📈 Metrics:');
  lines.push(`  Total Requests: ${result.totalRequests}`);
  lines.push(`  Successful: ${result.successfulRequests} (${pct(result.successRate)})`);
  lines.push(`  Failed: ${result.failedRequests}`);
  lines.push(`  Circuit Breaker Opens: ${result.circuitBreakerOpens ?? 'not measured'}`);

  lines.push('', '⏱️  Latency:');
  lines.push(`  Average: ${num(result.averageLatency)}ms`);
  lines.push(`  P95: ${num(result.p95Latency)}ms`);
  lines.push(`  P99: ${num(result.p99Latency)}ms`);

  lines.push('', '❗ Errors:');
  const errors = Object.entries(result.errorsByType).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (errors.length === 0) lines.push('  (none)');
  for (const [name, count] of errors) lines.push(`  ${name}: ${count}`);

  if (result.chaos !== null) {
    const { injections, timeoutPhases, injectedLatencyMs } = result.chaos.totals;
    lines.push('', '💥 Injections:');
    lines.push(`  Total: ${injections.total}`);
    lines.push(`  Latency: ${injections.latency} (${num(injectedLatencyMs)}ms added)`);
    lines.push(`  Errors: ${injections.errors}`);
    lines.push(`  Timeouts: ${injections.timeouts}`);
    lines.push(`  Intermittent: ${injections.intermittent}`);
    lines.push(`  Cascading: ${injections.cascading}`);
    lines.push(`  Resource Exhaustion: ${injections.resourceExhaustion}`);
    lines.push(
      `  Timeout phases: before ${timeoutPhases.before}, after ${timeoutPhases.after} ` +
        `(${timeoutPhases.afterApproved} approved charges the caller never heard of)`,
    );
    const seeds = result.chaos.gateways.map((g) => `${g.gateway}=${g.seed}`).join(', ');
    lines.push(`  Gateway seeds: ${seeds}`);
  }

  lines.push('', '🔍 Validation:');
  const { criteria } = result;
  lines.push(
    criteria.invariants === null
      ? '  Invariants Held: ➖ (not checked)'
      : `  Invariants Held: ${mark(criteria.invariants.passed)}${result.invariantError === null ? '' : ` (${result.invariantError})`}`,
  );
  if (criteria.successRate !== null) lines.push(verdict('Success Rate', criteria.successRate, 'expected', pct));
  if (criteria.circuitBreakerOpens !== null) lines.push(verdict('CB Opens', criteria.circuitBreakerOpens, 'max', num));
  if (criteria.averageLatency !== null) lines.push(verdict('Latency', criteria.averageLatency, 'max', (n) => `${num(n)}ms`));
  lines.push(`  Seed: ${result.seed ?? 'none'}`);
  lines.push(RULE);
  return lines.join('\n');
}
