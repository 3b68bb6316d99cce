import type { PaymentStatus } from '@aegispay/domain';
import type { ScenarioRun } from './scenario-run';

/** One invariant of a run, checked after the final recovery and outbox drain. */
export interface InvariantCheck {
  readonly name: string;
  readonly passed: boolean;
  /** What was checked and, when it failed, the first offenders. */
  readonly detail: string;
}

/** The events a payment must have published, in order, given where it ended. */
const EXPECTED_EVENTS: Partial<Record<PaymentStatus, readonly string[]>> = {
  PAID: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded'],
  FAILED: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentFailed'],
  CANCELLED: ['PaymentCreated', 'PaymentCancelled'],
};

const UNFINISHED: readonly PaymentStatus[] = ['PENDING', 'PROCESSING', 'REQUIRES_ACTION'];
const SHOWN = 3;

/**
 * The invariants a payments engineer asks of a run: every payment stored, nobody charged twice
 * across all the gateways' ledgers, nothing left in flight, every stored status agreeing with
 * what the gateways say, and every state change published by the outbox.
 */
export function checkRun(run: ScenarioRun): readonly InvariantCheck[] {
  const stored = run.records.flatMap((record) => (record.stored === null ? [] : [record.stored]));
  const checks: InvariantCheck[] = [];

  const missing = run.records.filter((record) => record.stored === null).map((record) => `#${record.index}${record.error === null ? '' : ` (${record.error})`}`);
  checks.push({
    name: 'every payment stored',
    passed: missing.length === 0,
    detail: missing.length === 0 ? `${stored.length} of ${run.records.length} payments found by their idempotency key` : `${missing.length} not stored: ${firstOf(missing)}`,
  });

  const doubles = [...run.doubleCharges.map((finding) => finding.paymentId), ...run.recovery.doubleCharges.map((finding) => finding.paymentId)];
  const charges = run.ledger.filter((entry) => entry.outcome === 'APPROVED').length;
  checks.push({
    name: 'no double charge across ledgers',
    passed: doubles.length === 0,
    detail: doubles.length === 0 ? `${charges} approved charges on ${run.gateways.length} ledgers, at most one per payment` : `${doubles.length} payments charged more than once: ${firstOf(doubles)}`,
  });

  const unfinished = stored.filter((payment) => UNFINISHED.includes(payment.status)).map((payment) => `${payment.id} ${payment.status}`);
  checks.push({
    name: 'nothing left in PROCESSING',
    passed: unfinished.length === 0 && run.recovery.unresolved === 0,
    detail:
      unfinished.length === 0 && run.recovery.unresolved === 0
        ? `every payment final after recovery (${run.recovery.paid + run.recovery.failed + run.recovery.cancelled} resolved by it)`
        : `${unfinished.length} unfinished, ${run.recovery.unresolved} unresolved by recovery: ${firstOf(unfinished)}`,
  });

  const approvedByPayment = new Map<string, { gateway: string; gatewayReference: string | null }[]>();
  const pendingByPayment = new Set<string>();
  for (const entry of run.ledger) {
    if (entry.outcome === 'PENDING') pendingByPayment.add(entry.paymentId);
    if (entry.outcome !== 'APPROVED' || entry.refundedAmount.amount >= entry.amount.amount) continue;
    const list = approvedByPayment.get(entry.paymentId) ?? [];
    list.push({ gateway: entry.gateway, gatewayReference: entry.gatewayReference });
    approvedByPayment.set(entry.paymentId, list);
  }
  const disagreements: string[] = [];
  for (const payment of stored) {
    const approved = approvedByPayment.get(payment.id) ?? [];
    if (pendingByPayment.has(payment.id)) disagreements.push(`${payment.id}: a charge is still PENDING at the gateway`);
    else if (payment.status === 'PAID') {
      const only = approved[0];
      if (approved.length !== 1 || only === undefined || only.gateway !== payment.gateway || only.gatewayReference !== payment.gatewayReference) {
        disagreements.push(`${payment.id}: PAID via ${payment.gateway ?? '?'} ${payment.gatewayReference ?? '?'}, ledgers say ${describe(approved)}`);
      }
    } else if (approved.length > 0) {
      disagreements.push(`${payment.id}: ${payment.status}, ledgers say ${describe(approved)}`);
    }
  }
  checks.push({
    name: 'stored statuses agree with the ledgers',
    passed: disagreements.length === 0,
    detail:
      disagreements.length === 0
        ? `${stored.filter((payment) => payment.status === 'PAID').length} PAID each captured once at its gateway; no other payment charged`
        : `${disagreements.length} disagree: ${firstOf(disagreements)}`,
  });

  const unpublished: string[] = [];
  let events = 0;
  for (const payment of stored) {
    const published = run.publishedEvents.get(payment.id) ?? [];
    events += published.length;
    const expected = EXPECTED_EVENTS[payment.status];
    if (expected === undefined || published.join(',') !== expected.join(',')) {
      unpublished.push(`${payment.id} ${payment.status}: published [${published.join(', ')}]`);
    }
  }
  checks.push({
    name: 'outbox complete',
    passed: unpublished.length === 0,
    detail: unpublished.length === 0 ? `${events} events published, every state change of every payment, in order` : `${unpublished.length} payments incomplete: ${firstOf(unpublished)}`,
  });
  return checks;
}

function describe(charges: readonly { gateway: string; gatewayReference: string | null }[]): string {
  return charges.length === 0 ? 'no charge' : charges.map((charge) => `${charge.gateway} ${charge.gatewayReference ?? '?'}`).join(' + ');
}

function firstOf(items: readonly string[]): string {
  return items.slice(0, SHOWN).join('; ') + (items.length > SHOWN ? `; … ${items.length - SHOWN} more` : '');
}
