import { count, renderTable, seconds } from '../text-table';
import type { StubsDemoReport } from './stubs-demo';
import { STUBS_DEMO_PHASES } from './stubs-phases';

/** The stubs demo's report as text: the stubs, the script, per-gateway figures, outcomes, and the ledgers compared with the database. */
export function formatStubsDemoReport(report: StubsDemoReport): string {
  const { stubs, issuers, outcomes, recovery } = report;
  const lines = [
    'AegisPay demo through the PSP stubs',
    `  ${count(report.payments)} payments, seed ${report.seed}, up to ${report.concurrency} in flight, ${report.database}, ${seconds(report.wallMs)} of wall time`,
    `  Stripe stub ${stubs.stripe.url} (pid ${stubs.stripe.pid}), Adyen stub ${stubs.adyen.url} (pid ${stubs.adyen.pid}): separate processes, durable ledgers`,
    `  cards stored at Stripe ${issuers.STRIPE}, at Adyen ${issuers.ADYEN}; wallets ${issuers.WALLET} (only the simulated acquirers take them)`,
    '',
    'Script (faults injected at the stubs through their control APIs)',
    ...STUBS_DEMO_PHASES.map((phase, index) => {
      const to = STUBS_DEMO_PHASES[index + 1]?.from ?? 1;
      return `  ${String(Math.round(phase.from * 100)).padStart(3)}–${Math.round(to * 100)} %  ${phase.name}: ${phase.description}`;
    }),
    '',
    'Gateways',
    renderTable(
      ['gateway', 'charges', 'captured', 'declined', 'failed', 'answer lost', 'lookups', 'breaker opened'],
      report.gateways.map((row) => [row.gateway, count(row.calls), count(row.captured), count(row.declined), count(row.errors), count(row.unknown), count(row.lookups), String(row.opened)]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
    '  (failed: a technical failure, nothing charged; answer lost: the outcome was unknown, so it was looked up at that gateway, never sent elsewhere)',
    '',
    `Outcomes: ${count(outcomes.paid)} paid, ${count(outcomes.declined)} declined, ${count(outcomes.failed)} failed` +
      (outcomes.other > 0 ? `, ${count(outcomes.other)} unfinished` : '') +
      (report.errors.length > 0 ? `; the orchestrator threw on ${report.errors.length} (${report.errors.slice(0, 2).join('; ')})` : ''),
    recovery.left === 0 ? '  recovery: nothing was left to it' : `  recovery: ${recovery.left} left to it after the traffic, settled within ${seconds(recovery.waitedMs)}`,
    '',
    `Ledgers against the database: ${report.invariants.every((check) => check.passed) ? 'all hold' : 'BROKEN'}`,
    ...report.invariants.map((check) => `  ${check.passed ? '✔' : '✘'} ${check.name}: ${check.detail}`),
  ];
  return `${lines.join('\n')}\n`;
}
