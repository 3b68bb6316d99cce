import type { DataSource } from 'typeorm';
import { SqlSession } from '../sql/sql-session';

/** Options of {@link seedPayments}. */
export interface SeedPaymentsOptions {
  /** How many payments to add. */
  readonly count: number;
  /** The number of the first one (`pay_seed_<n>`), to add more to an already seeded table. Defaults to 1. */
  readonly first?: number;
  /** The creation instant of payment 0, epoch ms. Defaults to 2026-01-01T00:00:00Z. */
  readonly epoch?: number;
  /** How many customers the payments are spread over (`cus_<n mod customers>`). Defaults to `SEEDED_PAYMENTS.customers` (1 000). */
  readonly customers?: number;
}

/**
 * The shape of the payments {@link seedPayments} writes, payment `n` (from `first`):
 * three in four are `merchant_a`'s, the fourth `merchant_b`'s; one in a hundred (`n mod 100 = 1`) `FAILED`,
 * the rest `PAID`; one in fifty captured by `ADYEN`, the rest by `STRIPE`; customer `cus_<n mod 1000>`;
 * created at `epoch + floor(n / 3) s` (three payments per second: ties on the creation instant);
 * one approved attempt each.
 */
export const SEEDED_PAYMENTS = Object.freeze({
  merchants: ['merchant_a', 'merchant_b'] as const,
  /** `n mod failedEvery = 1` fails. */
  failedEvery: 100,
  adyenEvery: 50,
  customers: 1_000,
  perSecond: 3,
});

const EPOCH = Date.UTC(2026, 0, 1);

/**
 * Adds `count` payments (and one attempt each) with two `INSERT … SELECT` statements over a
 * generated series, not through the domain: how benchmarks and query-plan tests fill a table with
 * a million rows in seconds. The rows are valid payments that the repository reads like any other.
 */
export async function seedPayments(dataSource: DataSource, options: SeedPaymentsOptions): Promise<void> {
  const session = SqlSession.of(dataSource);
  const first = options.first ?? 1;
  const last = first + options.count - 1;
  const epoch = options.epoch ?? EPOCH;
  const customers = options.customers ?? SEEDED_PAYMENTS.customers;
  if (!Number.isSafeInteger(customers) || customers < 1) throw new RangeError(`customers must be a whole number ≥ 1, got ${String(customers)}.`);
  const postgres = session.dialect === 'postgres';
  const series = `WITH RECURSIVE seq(n) AS (SELECT ${first}${postgres ? '::bigint' : ''} UNION ALL SELECT n + 1 FROM seq WHERE n < ${last})`;
  const id = postgres ? `'pay_seed_' || lpad(n::text, 9, '0')` : `printf('pay_seed_%09d', n)`;
  const text = (expression: string): string => (postgres ? `(${expression})::text` : `(${expression})`);
  const created = `${epoch} + (n / ${SEEDED_PAYMENTS.perSecond}) * 1000`;
  await session.run(
    `${series} INSERT INTO ${session.table('payments')} (id, merchant_id, amount, currency, payment_method_type, payment_method_token, customer_id, description, ` +
      `idempotency_key, status, version, gateway, gateway_reference, failure_code, failure_reason, metadata, created_at, updated_at, next_action) ` +
      `SELECT ${id}, CASE WHEN n % 4 = 0 THEN 'merchant_b' ELSE 'merchant_a' END, 1000 + n % 9000, 'EUR', 'CARD', 'tok_seed_visa_4242', 'cus_' || ${text(`n % ${customers}`)}, NULL, ` +
      `'seed-' || ${text('n')}, CASE WHEN n % ${SEEDED_PAYMENTS.failedEvery} = 1 THEN 'FAILED' ELSE 'PAID' END, 3, ` +
      `CASE WHEN n % ${SEEDED_PAYMENTS.adyenEvery} = 0 THEN 'ADYEN' ELSE 'STRIPE' END, 'ch_' || ${text('n')}, ` +
      `CASE WHEN n % ${SEEDED_PAYMENTS.failedEvery} = 1 THEN 'card_declined' ELSE NULL END, CASE WHEN n % ${SEEDED_PAYMENTS.failedEvery} = 1 THEN 'Declined.' ELSE NULL END, ` +
      `'{}', ${created}, ${created}, NULL FROM seq`,
  );
  await session.run(
    `${series} INSERT INTO ${session.table('payment_attempts')} (payment_id, attempt_number, gateway, reference, outcome, gateway_reference, decline_code, decline_type, error_code, latency_ms, at, deadline) ` +
      `SELECT ${id}, 1, CASE WHEN n % ${SEEDED_PAYMENTS.adyenEvery} = 0 THEN 'ADYEN' ELSE 'STRIPE' END, ${id} || ':1', ` +
      `CASE WHEN n % ${SEEDED_PAYMENTS.failedEvery} = 1 THEN 'DECLINED' ELSE 'APPROVED' END, 'ch_' || ${text('n')}, NULL, NULL, NULL, 120, ${created}, NULL FROM seq`,
  );
  await session.run(postgres ? `ANALYZE ${session.table('payments')}, ${session.table('payment_attempts')}` : 'ANALYZE');
}
