import type { PaymentSnapshot } from '@aegispay/domain';
import type { PaymentRow } from '../schema/rows';
import { PAYMENT_ATTEMPTS, PAYMENT_REFUNDS, PAYMENTS } from '../schema/tables';
import type { SqlDialect } from '../sql/sql-dialect';
import { jsonTuple, selectList } from '../sql/table-sql';

/** A JSON array of child rows, each a JSON array of its table's readable columns: text on SQLite, parsed by the driver on PostgreSQL. */
type ChildTuples = string | readonly (readonly unknown[])[];

/** A payment row with its attempts and refunds, as the {@link paymentSelect} read returns it. */
export type PaymentRowWithChildren = PaymentRow & {
  /** The payment's attempts as tuples of `PAYMENT_ATTEMPTS`' readable columns, by attempt number. */
  readonly attempts: ChildTuples;
  /** The payment's refunds as tuples of `PAYMENT_REFUNDS`' readable columns, by position. */
  readonly refunds: ChildTuples;
};

/**
 * `SELECT <payment columns>, <attempts>, <refunds> FROM payments p`: a payment and its children
 * in one statement (so it is never read half-way through another commit), to be completed with a
 * `WHERE` on `p`. The children come back as JSON arrays of tuples, which {@link toSnapshot} reads
 * with the same column tables that built them.
 */
export function paymentSelect(table: (name: string) => string, dialect: SqlDialect): string {
  const aggregate = (tuple: string, order: string, from: string): string =>
    dialect === 'postgres'
      ? `COALESCE((SELECT json_agg(${tuple} ORDER BY ${order}) ${from}), '[]'::json)`
      : `(SELECT json_group_array(${tuple} ORDER BY ${order}) ${from})`;
  const attempts = aggregate(jsonTuple(PAYMENT_ATTEMPTS, 'a', dialect), 'a.attempt_number', `FROM ${table(PAYMENT_ATTEMPTS.name)} a WHERE a.payment_id = p.id`);
  const refunds = aggregate(jsonTuple(PAYMENT_REFUNDS, 'r', dialect), 'r.position', `FROM ${table(PAYMENT_REFUNDS.name)} r WHERE r.payment_id = p.id`);
  return `SELECT ${selectList(PAYMENTS, 'p')}, ${attempts} AS attempts, ${refunds} AS refunds FROM ${table(PAYMENTS.name)} p`;
}

/** The snapshot of a payment read by {@link paymentSelect}. */
export function toSnapshot(row: PaymentRowWithChildren): PaymentSnapshot {
  return {
    ...PAYMENTS.read(row),
    attempts: parseJson(row.attempts).map((tuple) => PAYMENT_ATTEMPTS.readTuple(tuple)),
    refunds: parseJson(row.refunds).map((tuple) => PAYMENT_REFUNDS.readTuple(tuple)),
  };
}

function parseJson(value: ChildTuples): readonly (readonly unknown[])[] {
  return typeof value === 'string' ? (JSON.parse(value) as readonly (readonly unknown[])[]) : value;
}
