import type { DemoReport } from './demo-report';
import { count, percent, renderTable, seconds } from './text-table';

const RULE = '═'.repeat(78);

/** What a `StateChangeReason` means, for people. */
const REASONS: Readonly<Record<string, string>> = {
  FAILURE_THRESHOLD: 'consecutive failures',
  FAILURE_RATE: 'failure rate over the window',
  SLOW_CALL_RATE: 'too many slow calls',
  OPEN_TIMEOUT_ELAPSED: 'open timeout elapsed: probing',
  PROBE_FAILED: 'a probe failed',
  HALF_OPEN_TIMEOUT: 'probing took too long',
  SUCCESS_THRESHOLD: 'probes succeeded',
  ISOLATED: 'isolated by an operator',
  RESET: 'reset',
  RESTORED: 'restored from a snapshot',
};

/** The demo's report as text for the terminal: every section of the HTML page, in tables. */
export function formatDemoReport(report: DemoReport, htmlPath: string): string {
  const sections = [
    header(report),
    timeline(report),
    gateways(report),
    transitions(report),
    routing(report),
    comparison(report),
    invariants(report),
    `HTML report: ${htmlPath}`,
  ];
  return `${sections.join('\n\n')}\n`;
}

function header(report: DemoReport): string {
  const applied = report.migrationsApplied.length;
  const migrations = report.database === 'in memory' ? 'nothing persists' : applied === 0 ? 'schema up to date' : `${applied} migration${applied === 1 ? '' : 's'} applied`;
  return [
    RULE,
    `AegisPay demo: ${count(report.payments)} payments, seed ${report.seed}, ${report.ratePerSecond}/s, up to ${report.concurrency} in flight`,
    `Database ${report.database} (${migrations})`,
    `${seconds(report.virtualMs)} of virtual time in ${(report.wallMs.main / 1000).toFixed(1)} s (replay ${(report.wallMs.baseline / 1000).toFixed(1)} s)`,
    RULE,
  ].join('\n');
}

function timeline(report: DemoReport): string {
  const rows = report.timeline.map((event) => [`t+${seconds(event.atMs)}`, `#${event.index}`, event.text]);
  return ['Scenario (virtual time, payment number)', rows.length === 0 ? '  nothing scripted' : renderTable(['time', 'at', 'event'], rows, ['right', 'right', 'left'])].join('\n');
}

function gateways(report: DemoReport): string {
  const rows = report.gateways.map((row) => [
    row.gateway,
    count(row.calls),
    count(row.captured),
    percent(row.successRate),
    percent(row.errorRate),
    row.p95Ms === null ? '–' : String(Math.round(row.p95Ms)),
    row.fees.length === 0 ? '–' : row.fees.map((fee) => fee.text).join(' · '),
    percent(row.averageFeeRate, 2),
    row.breaker === null ? '–' : `${row.breaker}${row.breakerOpens > 0 ? ` (opened ${row.breakerOpens}×)` : ''}`,
  ]);
  return [
    'Gateways',
    renderTable(['gateway', 'calls', 'captured', 'success', 'errors', 'p95 ms', 'fees', 'avg fee', 'breaker'], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'left']),
    '  calls: charges sent (fail-overs included) · success: approved / calls · errors: technical failures and',
    '  unknown outcomes / calls · p95: latency of a call · fees: from the gateway ledgers · breaker: state at the end',
  ].join('\n');
}

function transitions(report: DemoReport): string {
  const rows = report.transitions.map((transition) => [
    `t+${seconds(transition.atMs)}`,
    transition.gateway,
    `${transition.from} → ${transition.to}`,
    `${REASONS[transition.reason] ?? transition.reason} (${transition.reason})`,
  ]);
  return ['Circuit breaker transitions', rows.length === 0 ? '  none: every breaker stayed closed' : renderTable(['time', 'gateway', 'change', 'why'], rows, ['right', 'left', 'left', 'left'])].join('\n');
}

function routing(report: DemoReport): string {
  const names = report.gateways.map((row) => row.gateway);
  const rows = report.slices.map((slice) => [
    `${seconds(slice.fromMs)}–${seconds(slice.toMs)}`,
    String(slice.payments),
    ...names.map((name) => (slice.payments === 0 ? '–' : percent((slice.firstChoice[name] ?? 0) / slice.payments, 0))),
    slice.payments === 0 ? '–' : percent(slice.unrouted / slice.payments, 0),
    slice.payments === 0 ? '–' : percent(slice.paid / slice.payments, 0),
    slice.baselinePayments === 0 ? '–' : percent(slice.baselinePaid / slice.baselinePayments, 0),
    slice.phases.join(', '),
  ]);
  return [
    'Routing share over time (where each payment was sent first) and share paid',
    renderTable(
      ['arrivals', 'n', ...names, 'none', 'paid', `${report.baseline.gateway} alone`, 'scenario'],
      rows,
      ['left', 'right', ...names.map(() => 'right' as const), 'right', 'right', 'right', 'left'],
    ),
    '  none: no gateway was tried (every breaker open) · paid: share of the slice\'s payments captured',
  ].join('\n');
}

function comparison(report: DemoReport): string {
  const { main, baseline } = report;
  const difference = (main.successRate - baseline.successRate) * 100;
  const fees = (list: DemoReport['main']['fees']): string => (list.length === 0 ? 'no fees' : `fees ${list.map((fee) => fee.text).join(' · ')}`);
  const rows = report.phases.map((phase) => [
    phase.phase,
    String(phase.payments),
    percent(phase.paid / phase.payments),
    percent(phase.baselinePaid / phase.payments),
    `${((phase.paid - phase.baselinePaid) / phase.payments >= 0 ? '+' : '')}${(((phase.paid - phase.baselinePaid) / phase.payments) * 100).toFixed(1)}`,
  ]);
  // The five most frequent codes: the tail of a decline mix says little.
  const failures = (codes: Readonly<Record<string, number>>): string => {
    const sorted = Object.entries(codes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const shown = sorted.slice(0, 5).map(([code, n]) => `${code} ${n}`);
    const rest = sorted.slice(5).reduce((sum, [, n]) => sum + n, 0);
    return shown.length === 0 ? 'none' : `${shown.join(', ')}${rest > 0 ? `, others ${rest}` : ''}`;
  };
  return [
    `Success against a single gateway on the same traffic (${baseline.gateway} alone: same payments, same outage, same chaos)`,
    renderTable(
      ['run', 'paid', 'success', 'declined', 'failed', 'p95 end-to-end', 'cost'],
      [
        [`AegisPay, ${report.gateways.length} gateways`, count(main.paid), percent(main.successRate), count(main.declined), count(main.failed), `${Math.round(main.p95Ms)} ms`, fees(main.fees)],
        [`${baseline.gateway} alone`, count(baseline.paid), percent(baseline.successRate), count(baseline.declined), count(baseline.failed), `${Math.round(baseline.p95Ms)} ms`, fees(baseline.fees)],
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
    `  → ${difference >= 0 ? '+' : ''}${difference.toFixed(1)} points: ${count(Math.abs(main.paid - baseline.paid))} payments ${main.paid >= baseline.paid ? 'more' : 'fewer'} captured`,
    '',
    renderTable(['phase', 'n', 'AegisPay', `${baseline.gateway} alone`, 'points'], rows, ['left', 'right', 'right', 'right', 'right']),
    `  failed without an issuer's answer: AegisPay ${failures(main.failuresByCode)}; ${baseline.gateway} alone ${failures(baseline.failuresByCode)}`,
    `  declined by issuers: AegisPay ${failures(main.declinesByCode)}; ${baseline.gateway} alone ${failures(baseline.declinesByCode)}`,
  ].join('\n');
}

function invariants(report: DemoReport): string {
  const lines = report.invariants.map((check) => `  ${check.passed ? '✔' : '✘'} ${check.name}: ${check.detail}`);
  const replay = report.baselineInvariants.filter((check) => !check.passed);
  lines.push(
    replay.length === 0
      ? `  ✔ the ${report.baseline.gateway}-alone replay holds the same ${report.baselineInvariants.length} invariants`
      : `  ✘ the ${report.baseline.gateway}-alone replay broke: ${replay.map((check) => `${check.name} (${check.detail})`).join('; ')}`,
  );
  const recovery = report.recovery;
  lines.push(
    `  final recovery: ${recovery.runs} run(s), ${recovery.paid} found charged, ${recovery.failed} failed, ${recovery.cancelled} cancelled` +
      (recovery.others > 0 ? `, plus ${recovery.others} left behind by earlier runs on this database` : ''),
  );
  const passed = report.invariants.every((check) => check.passed) && replay.length === 0;
  return [`Invariants: ${passed ? 'all hold' : 'BROKEN'}`, ...lines].join('\n');
}
