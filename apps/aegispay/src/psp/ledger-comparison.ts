import type { PaymentSnapshot, PaymentStatus } from '@aegispay/domain';
import { holdsMoney, type GatewayCharge } from './gateway-charges';

/** What a payment's stored state and the gateways' ledgers say, compared. Each list names its offenders (`<paymentId>: what`). */
export interface LedgerComparison {
  /** Payments holding the customer's money at more than one charge: must be empty. */
  readonly doubleCharges: readonly string[];
  /** Payments captured at a gateway but stored as failed (`FAILED`, `CANCELLED`): must be empty. */
  readonly capturedButFailed: readonly string[];
  /** Payments stored `PAID` (or refunded) without the one captured charge, at their gateway with their reference, that says so: must be empty. */
  readonly paidWithoutCharge: readonly string[];
  /** Captured charges whose payment is not among those compared. */
  readonly strayCharges: readonly string[];
  /** Payments not final yet (`PENDING`, `PROCESSING`, `REQUIRES_ACTION`), with what their gateways hold. */
  readonly unfinished: readonly string[];
  /** Charges a gateway has not decided yet (`PENDING`), or that wait for the customer. */
  readonly undecidedCharges: readonly string[];
  /** How many charges hold money, over how many payments. */
  readonly captured: number;
  readonly payments: number;
}

const UNFINISHED: readonly PaymentStatus[] = ['PENDING', 'PROCESSING', 'REQUIRES_ACTION'];
const FAILED: readonly PaymentStatus[] = ['FAILED', 'CANCELLED'];
const CHARGED: readonly PaymentStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/**
 * Compares stored payments with the charges in the gateways' own ledgers (a PSP stub's durable
 * ledger, a simulated acquirer's): what a payments engineer checks after a crash or a run — nobody
 * charged twice, no captured payment stored as failed, every paid payment backed by its charge.
 */
export function compareWithLedgers(payments: readonly PaymentSnapshot[], charges: readonly GatewayCharge[]): LedgerComparison {
  const byPayment = new Map<string, GatewayCharge[]>();
  for (const charge of charges) {
    const key = charge.paymentId ?? `(no payment id) ${charge.reference}`;
    byPayment.set(key, [...(byPayment.get(key) ?? []), charge]);
  }
  const known = new Set(payments.map((payment) => payment.id));
  const doubleCharges: string[] = [];
  const capturedButFailed: string[] = [];
  const paidWithoutCharge: string[] = [];
  const unfinished: string[] = [];
  for (const payment of payments) {
    const own = byPayment.get(payment.id) ?? [];
    const holding = own.filter(holdsMoney);
    const captured = own.filter((charge) => charge.state === 'CAPTURED');
    if (holding.length > 1) doubleCharges.push(`${payment.id}: ${describe(holding)}`);
    if (FAILED.includes(payment.status) && captured.length > 0) capturedButFailed.push(`${payment.id}: ${payment.status}, but ${describe(captured)}`);
    if (CHARGED.includes(payment.status)) {
      const backing = captured.filter((charge) => charge.gateway === payment.gateway && charge.gatewayReference === payment.gatewayReference);
      if (backing.length !== 1) paidWithoutCharge.push(`${payment.id}: ${payment.status} via ${payment.gateway ?? '?'} ${payment.gatewayReference ?? '?'}, ledgers say ${describe(captured)}`);
    }
    if (UNFINISHED.includes(payment.status)) unfinished.push(`${payment.id}: ${payment.status}, ledgers say ${describe(captured)}`);
  }
  const strayCharges = charges.filter((charge) => holdsMoney(charge) && (charge.paymentId === null || !known.has(charge.paymentId))).map((charge) => `${charge.paymentId ?? '?'}: ${describe([charge])}`);
  const undecidedCharges = charges.filter((charge) => charge.state === 'PENDING' || charge.state === 'ACTION').map((charge) => `${charge.paymentId ?? '?'}: ${charge.state} ${describe([charge])}`);
  return { doubleCharges, capturedButFailed, paidWithoutCharge, strayCharges, unfinished, undecidedCharges, captured: charges.filter(holdsMoney).length, payments: payments.length };
}

function describe(charges: readonly GatewayCharge[]): string {
  return charges.length === 0 ? 'no charge captured' : charges.map((charge) => `${charge.gateway} ${charge.gatewayReference} (${charge.reference})`).join(' + ');
}
