import { summarizeLatencies } from '@aegispay/chaos';
import type { Money } from '@aegispay/domain';
import type { CircuitState } from '@aegispay/resilience';
import { windowIndices, type DemoScenario } from './demo-scenario';
import type { ScenarioRun } from './scenario-run';

/** An amount of one currency, in minor units and as text (`"123.45 EUR"`). */
export interface CurrencyAmount {
  readonly currency: string;
  readonly minor: number;
  readonly text: string;
}

/** One gateway's row of the report, from the stored attempts and the gateway's ledger. */
export interface GatewayRow {
  readonly gateway: string;
  /** Calls sent to the gateway (attempts of any outcome). */
  readonly calls: number;
  readonly approved: number;
  readonly declined: number;
  /** Technical failures and unknown outcomes. */
  readonly errors: number;
  /** Payments the gateway captured. */
  readonly captured: number;
  /** approved / calls; `null` without calls. */
  readonly successRate: number | null;
  /** errors / calls; `null` without calls. */
  readonly errorRate: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  /** Fees of its approved charges, from its ledger, per currency. */
  readonly fees: readonly CurrencyAmount[];
  /** Mean of fee / amount over its approved charges; `null` without any. */
  readonly averageFeeRate: number | null;
  /** Breaker state when the traffic ended, and how often it opened. */
  readonly breaker: CircuitState | null;
  readonly breakerOpens: number;
  /** Every attempt's latency, ms (for the distribution chart). */
  readonly latencies: readonly number[];
}

/** A run's totals. */
export interface RunSummary {
  readonly total: number;
  readonly paid: number;
  readonly declined: number;
  /** Neither paid nor declined by an issuer: no gateway could take the payment. */
  readonly failed: number;
  /** paid / total. */
  readonly successRate: number;
  /** Failed payments by code (`ALL_GATEWAYS_FAILED`, `NO_GATEWAY_AVAILABLE`…) and declines by code. */
  readonly failuresByCode: Readonly<Record<string, number>>;
  readonly declinesByCode: Readonly<Record<string, number>>;
  /** Fees paid to all gateways, per currency. */
  readonly fees: readonly CurrencyAmount[];
  /** End-to-end time of a payment (arrival to answer, fail-overs included), ms. */
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** One time slice of the run, by arrival time. */
export interface TimeSlice {
  readonly fromMs: number;
  readonly toMs: number;
  readonly payments: number;
  /** Payments whose first attempt went to each gateway (the routing decision). */
  readonly firstChoice: Readonly<Record<string, number>>;
  /** Payments no gateway was tried for (every breaker open, or refused before routing). */
  readonly unrouted: number;
  readonly paid: number;
  /** The same slice of the single-gateway replay. */
  readonly baselinePayments: number;
  readonly baselinePaid: number;
  /** Scenario windows active during the slice. */
  readonly phases: readonly string[];
}

/** Success in one phase of the scenario, both runs. */
export interface PhaseComparison {
  readonly phase: string;
  readonly payments: number;
  readonly paid: number;
  readonly baselinePaid: number;
}

/** The report's per-gateway table. */
export function gatewayRows(run: ScenarioRun): readonly GatewayRow[] {
  return run.gateways.map((gateway) => {
    const attempts = run.records.flatMap((record) => record.stored?.attempts ?? []).filter((attempt) => attempt.gateway === gateway);
    const approved = attempts.filter((attempt) => attempt.outcome === 'APPROVED').length;
    const declined = attempts.filter((attempt) => attempt.outcome === 'DECLINED').length;
    const errors = attempts.length - approved - declined;
    const latencies = attempts.map((attempt) => attempt.latencyMs);
    const summary = summarizeLatencies(latencies);
    const charges = run.ledger.filter((entry) => entry.gateway === gateway && entry.outcome === 'APPROVED' && entry.fee !== null);
    const health = run.breakerHealth.get(gateway);
    return {
      gateway,
      calls: attempts.length,
      approved,
      declined,
      errors,
      captured: run.records.filter((record) => record.stored?.status === 'PAID' && record.stored.gateway === gateway).length,
      successRate: attempts.length === 0 ? null : approved / attempts.length,
      errorRate: attempts.length === 0 ? null : errors / attempts.length,
      p50Ms: attempts.length === 0 ? null : summary.p50,
      p95Ms: attempts.length === 0 ? null : summary.p95,
      fees: sumByCurrency(charges.map((entry) => entry.fee as Money)),
      averageFeeRate: charges.length === 0 ? null : charges.reduce((sum, entry) => sum + (entry.fee as Money).amount / entry.amount.amount, 0) / charges.length,
      breaker: health?.circuitState ?? null,
      breakerOpens: run.transitions.filter((transition) => transition.gateway === gateway && transition.to === 'OPEN').length,
      latencies,
    };
  });
}

/** A run's totals: paid, declined, failed, fees and end-to-end latency. */
export function summarizeRun(run: ScenarioRun): RunSummary {
  const failuresByCode: Record<string, number> = {};
  const declinesByCode: Record<string, number> = {};
  let paid = 0;
  let declined = 0;
  for (const record of run.records) {
    const payment = record.stored;
    if (payment?.status === 'PAID') {
      paid += 1;
      continue;
    }
    const code = payment?.failureCode ?? record.result?.code ?? 'NOT_STORED';
    // A decline is the issuer's answer; anything else means no gateway could take the payment.
    if (record.result?.outcome === 'DECLINED' || (payment?.attempts.at(-1)?.outcome === 'DECLINED' && payment.status === 'FAILED')) {
      declined += 1;
      declinesByCode[code] = (declinesByCode[code] ?? 0) + 1;
    } else {
      failuresByCode[code] = (failuresByCode[code] ?? 0) + 1;
    }
  }
  const endToEnd = summarizeLatencies(run.records.map((record) => record.finishedMs - record.arrivalMs));
  const fees = run.ledger.filter((entry) => entry.outcome === 'APPROVED' && entry.fee !== null).map((entry) => entry.fee as Money);
  const total = run.records.length;
  return {
    total,
    paid,
    declined,
    failed: total - paid - declined,
    successRate: total === 0 ? 0 : paid / total,
    failuresByCode,
    declinesByCode,
    fees: sumByCurrency(fees),
    p50Ms: endToEnd.p50,
    p95Ms: endToEnd.p95,
  };
}

/**
 * The runs cut into `count` equal slices of arrival time: the routing decisions and the share paid
 * in each, beside the single-gateway replay's (same arrivals, so the same slices).
 */
export function timeSlices(main: ScenarioRun, baseline: ScenarioRun | null, scenario: DemoScenario, count: number): readonly TimeSlice[] {
  const last = Math.max(1, ...main.records.map((record) => record.arrivalMs));
  const width = last / count;
  const sliceOf = (arrivalMs: number): number => Math.min(count - 1, Math.floor(arrivalMs / width));
  const payments = main.records.length;
  const outage = windowIndices(scenario.outage, payments);
  const chaos = windowIndices(scenario.chaos, payments);
  const slices = Array.from({ length: count }, (_, index) => ({
    fromMs: Math.round(index * width),
    toMs: Math.round((index + 1) * width),
    payments: 0,
    firstChoice: Object.fromEntries(main.gateways.map((gateway) => [gateway, 0])) as Record<string, number>,
    unrouted: 0,
    paid: 0,
    baselinePayments: 0,
    baselinePaid: 0,
    phases: new Set<string>(),
  }));
  for (const record of main.records) {
    const slice = slices[sliceOf(record.arrivalMs)] as (typeof slices)[number];
    slice.payments += 1;
    const first = record.stored?.attempts[0]?.gateway;
    if (first === undefined) slice.unrouted += 1;
    else slice.firstChoice[first] = (slice.firstChoice[first] ?? 0) + 1;
    if (record.stored?.status === 'PAID') slice.paid += 1;
    if (record.index >= outage.start && record.index < outage.end) slice.phases.add(`${main.outageGateway ?? 'gateway'} down`);
    if (record.index >= chaos.start && record.index < chaos.end) slice.phases.add('chaos');
  }
  for (const record of baseline?.records ?? []) {
    const slice = slices[sliceOf(record.arrivalMs)] as (typeof slices)[number];
    slice.baselinePayments += 1;
    if (record.stored?.status === 'PAID') slice.baselinePaid += 1;
  }
  return slices.map((slice) => ({ ...slice, phases: [...slice.phases] }));
}

/** Paid share per phase of the scenario (before, during and after the outage and the chaos), both runs. */
export function comparePhases(main: ScenarioRun, baseline: ScenarioRun, scenario: DemoScenario): readonly PhaseComparison[] {
  const payments = main.records.length;
  const outage = windowIndices(scenario.outage, payments);
  const chaos = windowIndices(scenario.chaos, payments);
  const cuts = [...new Set([0, outage.start, outage.end, chaos.start, chaos.end, payments])].filter((cut) => cut >= 0 && cut <= payments).sort((a, b) => a - b);
  const phases: PhaseComparison[] = [];
  for (let index = 0; index + 1 < cuts.length; index += 1) {
    const from = cuts[index] as number;
    const to = cuts[index + 1] as number;
    if (to <= from) continue;
    const inOutage = from >= outage.start && to <= outage.end && outage.end > outage.start;
    const inChaos = from >= chaos.start && to <= chaos.end && chaos.end > chaos.start;
    const name = [inOutage ? `${main.outageGateway ?? 'gateway'} down` : null, inChaos ? 'chaos' : null].filter((part) => part !== null).join(' + ') || 'normal';
    const paidIn = (run: ScenarioRun): number => run.records.slice(from, to).filter((record) => record.stored?.status === 'PAID').length;
    phases.push({ phase: `${name} (#${from}–${to - 1})`, payments: to - from, paid: paidIn(main), baselinePaid: paidIn(baseline) });
  }
  return phases;
}

function sumByCurrency(amounts: readonly Money[]): readonly CurrencyAmount[] {
  const totals = new Map<string, Money>();
  for (const amount of amounts) {
    const current = totals.get(amount.currencyCode);
    totals.set(amount.currencyCode, current === undefined ? amount : current.add(amount));
  }
  return [...totals.values()].sort((a, b) => a.currencyCode.localeCompare(b.currencyCode)).map((money) => ({ currency: money.currencyCode, minor: money.amount, text: money.toString() }));
}
