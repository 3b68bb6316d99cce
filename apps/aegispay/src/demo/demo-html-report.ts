import type { DemoReport } from './demo-report';
import { escapeXml, lineChart, stackedBarChart, type ChartBand } from './svg-charts';
import { count, percent, seconds } from './text-table';

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#be185d'];
const NONE_COLOR = '#9ca3af';
const OUTAGE_COLOR = '#dc2626';
const CHAOS_COLOR = '#f59e0b';
/** Latency histogram bucket edges, ms: 24 log-spaced buckets from 5 ms to 20 s. */
const LATENCY_EDGES = Array.from({ length: 25 }, (_, index) => 5 * 10 ** ((index * Math.log10(4_000)) / 24));

/**
 * The demo report as one self-contained HTML page: inline CSS and inline SVG charts drawn here
 * (success rate and routing share over time, latency distribution per gateway), the same tables
 * as the terminal report. Nothing is loaded from anywhere.
 */
export function renderHtmlReport(report: DemoReport): string {
  const colors = new Map(report.gateways.map((row, index) => [row.gateway, PALETTE[index % PALETTE.length] as string]));
  const passed = report.invariants.every((check) => check.passed) && report.baselineInvariants.every((check) => check.passed);
  const title = `AegisPay demo: ${report.payments} payments, seed ${report.seed}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #111; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.muted { color: #555; } .ok { color: #15803d; } .bad { color: #b91c1c; font-weight: 600; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.2rem 0; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: 0.7rem 1rem; min-width: 180px; }
.card b { display: block; font-size: 1.6rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 0.8rem 0; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p class="muted">${escapeXml(`${report.ratePerSecond} payments/s of virtual time, up to ${report.concurrency} in flight · database ${report.database} · ${seconds(report.virtualMs)} of virtual time in ${(report.wallMs.main / 1000).toFixed(1)} s`)}</p>
${cards(report, passed)}
<h2>Success rate over time</h2>
<p class="muted">Share of the payments arriving in each slice that were captured: AegisPay routing across ${report.gateways.length} gateways, and the same payments sent to ${escapeXml(report.baseline.gateway)} alone with the same outage and chaos. Shaded: the scripted outage and chaos windows.</p>
${successChart(report)}
<h2>Routing share over time</h2>
<p class="muted">Where each payment was sent first (the routing decision), per slice of arrival time. Grey: no gateway could be tried (every breaker open).</p>
${routingChart(report, colors)}
<h2>Latency distribution per gateway</h2>
<p class="muted">Share of each gateway's calls by latency (log scale), failed and timed-out calls included.</p>
${latencyChart(report, colors)}
<h2>Gateways</h2>
${gatewayTable(report)}
<h2>Circuit breaker transitions</h2>
${transitionTable(report)}
<h2>Against a single gateway on the same traffic</h2>
${comparisonTable(report)}
<h2>Scenario</h2>
${timelineTable(report)}
<h2>Invariants</h2>
${invariantList(report)}
<h2>How to read this report</h2>
<p class="muted">Time is virtual: the simulated gateways' latencies, timeouts, breaker periods and the recovery loop run on a clock that jumps whenever everything is waiting, so minutes of traffic take seconds. Database writes are real. The run is seeded: the same seed replays the same traffic, gateway behaviour and routing. Declines are the issuers' answers (some cards in the stream are declined everywhere); "failed" payments found no gateway able to answer. The invariants are checked after a final recovery pass and a full outbox drain.</p>
</body>
</html>
`;
}

function cards(report: DemoReport, passed: boolean): string {
  const difference = (report.main.successRate - report.baseline.successRate) * 100;
  return `<div class="cards">
<div class="card">AegisPay<b>${percent(report.main.successRate)}</b>${count(report.main.paid)} of ${count(report.main.total)} paid</div>
<div class="card">${escapeXml(report.baseline.gateway)} alone<b>${percent(report.baseline.successRate)}</b>${count(report.baseline.paid)} of ${count(report.baseline.total)} paid</div>
<div class="card">Difference<b>${difference >= 0 ? '+' : ''}${difference.toFixed(1)} pts</b>same payments, same outage and chaos</div>
<div class="card">Invariants<b class="${passed ? 'ok' : 'bad'}">${passed ? 'all hold' : 'BROKEN'}</b>${report.invariants.length} checks</div>
</div>`;
}

function bands(report: DemoReport): ChartBand[] {
  const end = report.slices.at(-1)?.toMs ?? report.virtualMs;
  const result: ChartBand[] = [];
  const find = (kind: string): number | undefined => report.timeline.find((event) => event.kind === kind)?.atMs;
  const outageStart = find('OUTAGE_START');
  if (outageStart !== undefined) result.push({ from: outageStart, to: find('OUTAGE_END') ?? end, label: `${report.outageGateway ?? 'gateway'} down`, color: OUTAGE_COLOR });
  const chaosStart = find('CHAOS_START');
  if (chaosStart !== undefined) result.push({ from: chaosStart, to: find('CHAOS_END') ?? end, label: 'chaos', color: CHAOS_COLOR });
  return result;
}

function timeTicks(report: DemoReport): number[] {
  const end = report.slices.at(-1)?.toMs ?? report.virtualMs;
  const step = niceStep(end / 8);
  return Array.from({ length: Math.floor(end / step) + 1 }, (_, index) => index * step);
}

function successChart(report: DemoReport): string {
  const centre = (slice: DemoReport['slices'][number]): number => (slice.fromMs + slice.toMs) / 2;
  const series = [
    { name: `AegisPay (${report.gateways.length} gateways)`, color: '#2563eb', points: report.slices.filter((slice) => slice.payments > 0).map((slice) => [centre(slice), slice.paid / slice.payments] as const) },
    {
      name: `${report.baseline.gateway} alone`,
      color: '#6b7280',
      dashed: true,
      points: report.slices.filter((slice) => slice.baselinePayments > 0).map((slice) => [centre(slice), slice.baselinePaid / slice.baselinePayments] as const),
    },
  ];
  return lineChart({
    title: 'Payments captured, per slice of arrival time',
    series,
    bands: bands(report),
    xDomain: [0, report.slices.at(-1)?.toMs ?? 1],
    yDomain: [0, 1],
    xTicks: timeTicks(report),
    yTicks: [0, 0.25, 0.5, 0.75, 1],
    xLabel: seconds,
    yLabel: (y) => `${Math.round(y * 100)}%`,
  });
}

function routingChart(report: DemoReport, colors: ReadonlyMap<string, string>): string {
  const share = (value: number, total: number): number => (total === 0 ? 0 : value / total);
  return stackedBarChart({
    title: 'Share of payments routed to each gateway first',
    slots: report.slices.map((slice) => ({ from: slice.fromMs, to: slice.toMs })),
    layers: [
      ...report.gateways.map((row) => ({ name: row.gateway, color: colors.get(row.gateway) as string, values: report.slices.map((slice) => share(slice.firstChoice[row.gateway] ?? 0, slice.payments)) })),
      { name: 'none', color: NONE_COLOR, values: report.slices.map((slice) => share(slice.unrouted, slice.payments)) },
    ],
    bands: bands(report),
    xTicks: timeTicks(report),
    yTicks: [0, 0.25, 0.5, 0.75, 1],
    xLabel: seconds,
    yLabel: (y) => `${Math.round(y * 100)}%`,
  });
}

function latencyChart(report: DemoReport, colors: ReadonlyMap<string, string>): string {
  const buckets = LATENCY_EDGES.length - 1;
  const series = report.gateways
    .filter((row) => row.latencies.length > 0)
    .map((row) => {
      const counts = new Array<number>(buckets).fill(0);
      for (const latency of row.latencies) {
        let bucket = LATENCY_EDGES.findIndex((edge) => latency < edge) - 1;
        if (bucket < 0) bucket = latency < (LATENCY_EDGES[0] as number) ? 0 : buckets - 1;
        counts[Math.min(bucket, buckets - 1)] = (counts[Math.min(bucket, buckets - 1)] ?? 0) + 1;
      }
      const points = counts.map((value, index) => [Math.sqrt((LATENCY_EDGES[index] as number) * (LATENCY_EDGES[index + 1] as number)), value / row.latencies.length] as const);
      return { name: `${row.gateway} (p95 ${Math.round(row.p95Ms ?? 0)} ms)`, color: colors.get(row.gateway) as string, points };
    });
  const top = Math.max(0.05, ...series.flatMap((line) => line.points.map(([, y]) => y)));
  const step = top > 0.4 ? 0.2 : top > 0.2 ? 0.1 : 0.05;
  const yMax = Math.ceil(top / step) * step;
  return lineChart({
    title: 'Share of calls by latency',
    series,
    xDomain: [LATENCY_EDGES[0] as number, LATENCY_EDGES.at(-1) as number],
    yDomain: [0, yMax],
    logX: true,
    xTicks: [10, 30, 100, 300, 1_000, 3_000, 10_000],
    yTicks: Array.from({ length: Math.round(yMax / step) + 1 }, (_, index) => index * step),
    xLabel: (x) => (x >= 1000 ? `${x / 1000} s` : `${x} ms`),
    yLabel: (y) => `${Math.round(y * 100)}%`,
  });
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const cell = (tag: string, text: string, index: number): string => `<${tag}${numeric[index] === true ? ' class="n"' : ''}>${escapeXml(text)}</${tag}>`;
  return `<table><thead><tr>${headers.map((header, index) => cell('th', header, index)).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((text, index) => cell('td', text, index)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function gatewayTable(report: DemoReport): string {
  return table(
    ['gateway', 'calls', 'captured', 'success', 'errors', 'p50 ms', 'p95 ms', 'fees', 'avg fee', 'breaker'],
    report.gateways.map((row) => [
      row.gateway,
      count(row.calls),
      count(row.captured),
      percent(row.successRate),
      percent(row.errorRate),
      row.p50Ms === null ? '–' : String(Math.round(row.p50Ms)),
      row.p95Ms === null ? '–' : String(Math.round(row.p95Ms)),
      row.fees.map((fee) => fee.text).join(' · ') || '–',
      percent(row.averageFeeRate, 2),
      `${row.breaker ?? '–'}${row.breakerOpens > 0 ? ` (opened ${row.breakerOpens}×)` : ''}`,
    ]),
    [false, true, true, true, true, true, true, false, true, false],
  );
}

function transitionTable(report: DemoReport): string {
  if (report.transitions.length === 0) return '<p>None: every breaker stayed closed.</p>';
  return table(
    ['time', 'gateway', 'change', 'reason'],
    report.transitions.map((transition) => [`t+${seconds(transition.atMs)}`, transition.gateway, `${transition.from} → ${transition.to}`, transition.reason]),
    [true, false, false, false],
  );
}

function comparisonTable(report: DemoReport): string {
  const { main, baseline } = report;
  const totals = table(
    ['run', 'paid', 'success', 'declined', 'failed', 'p95 end-to-end', 'fees'],
    [
      [`AegisPay, ${report.gateways.length} gateways`, count(main.paid), percent(main.successRate), count(main.declined), count(main.failed), `${Math.round(main.p95Ms)} ms`, main.fees.map((fee) => fee.text).join(' · ')],
      [`${baseline.gateway} alone`, count(baseline.paid), percent(baseline.successRate), count(baseline.declined), count(baseline.failed), `${Math.round(baseline.p95Ms)} ms`, baseline.fees.map((fee) => fee.text).join(' · ')],
    ],
    [false, true, true, true, true, true, false],
  );
  const phases = table(
    ['phase', 'payments', 'AegisPay', `${baseline.gateway} alone`],
    report.phases.map((phase) => [phase.phase, String(phase.payments), percent(phase.paid / phase.payments), percent(phase.baselinePaid / phase.payments)]),
    [false, true, true, true],
  );
  return `${totals}${phases}`;
}

function timelineTable(report: DemoReport): string {
  if (report.timeline.length === 0) return '<p>Nothing scripted.</p>';
  return table(
    ['time', 'payment', 'event'],
    report.timeline.map((event) => [`t+${seconds(event.atMs)}`, `#${event.index}`, event.text]),
    [true, true, false],
  );
}

function invariantList(report: DemoReport): string {
  const item = (check: DemoReport['invariants'][number]): string =>
    `<li><span class="${check.passed ? 'ok' : 'bad'}">${check.passed ? '✔' : '✘'} ${escapeXml(check.name)}</span>: ${escapeXml(check.detail)}</li>`;
  const replay = report.baselineInvariants.every((check) => check.passed);
  return `<ul>${report.invariants.map(item).join('')}<li><span class="${replay ? 'ok' : 'bad'}">${replay ? '✔' : '✘'} the ${escapeXml(report.baseline.gateway)}-alone replay</span>: ${
    replay ? 'holds the same invariants' : escapeXml(report.baselineInvariants.filter((check) => !check.passed).map((check) => `${check.name}: ${check.detail}`).join('; '))
  }</li></ul>`;
}

/** 1, 2 or 5 × a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}
