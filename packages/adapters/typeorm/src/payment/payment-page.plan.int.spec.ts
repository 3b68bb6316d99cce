import type { PaymentPageQuery } from '@aegispay/domain';
import { testDialects } from '../__fixtures__/postgres';
import { SqlSession } from '../sql/sql-session';
import { seedPayments } from '../testing/payment-seed';
import { useTestDatabase } from '../testing/test-database';
import { paymentSelect } from './payment-row.mapper';
import { paymentPageStatement, TypeOrmPaymentRepository } from './typeorm-payment.repository';

const SEEDED = 30_000;
const EPOCH = Date.UTC(2026, 0, 1);

/** A node of PostgreSQL's `EXPLAIN (FORMAT JSON)` plan. */
interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Scan Direction'?: string;
  readonly 'Actual Rows'?: number;
  readonly Plans?: readonly PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The page queries a listing runs, and the index whose order must serve each. */
const QUERIES: readonly [string, PaymentPageQuery, string][] = [
  ['the first page', { merchantId: 'merchant_a' }, 'ix_payments_merchant_created'],
  ['a page after a cursor', { merchantId: 'merchant_a', after: { createdAt: EPOCH + 5_000_000, id: 'pay_seed_000015000' } }, 'ix_payments_merchant_created'],
  ['a created range', { merchantId: 'merchant_a', filter: { createdFrom: EPOCH + 1_000_000, createdBefore: EPOCH + 2_000_000 } }, 'ix_payments_merchant_created'],
  ['a rare status, after a cursor', { merchantId: 'merchant_a', filter: { status: 'FAILED' }, after: { createdAt: EPOCH + 9_000_000, id: 'pay_seed_000027000' } }, 'ix_payments_merchant_status_created'],
  ['a customer', { merchantId: 'merchant_a', filter: { customerId: 'cus_7' } }, 'ix_payments_merchant_customer_created'],
  ['a gateway', { merchantId: 'merchant_a', filter: { gateway: 'ADYEN' }, limit: 100 }, 'ix_payments_merchant_gateway_created'],
];

describe.each(testDialects('Payment page query plans'))('TypeOrmPaymentRepository.findPage query plans on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  let session: SqlSession;
  let select: string;

  beforeAll(async () => {
    await seedPayments(database().dataSource, { count: SEEDED, epoch: EPOCH });
    session = SqlSession.of(database().dataSource);
    select = paymentSelect((name) => session.table(name), dialect);
  });

  it('should read seeded payments back as valid pages', async () => {
    const page = await new TypeOrmPaymentRepository(database().dataSource).findPage({ merchantId: 'merchant_a', filter: { status: 'FAILED' }, limit: 3 });

    expect(page.payments.map((payment) => [payment.id, payment.status, payment.attempts.length])).toEqual([
      ['pay_seed_000029901', 'FAILED', 1],
      ['pay_seed_000029801', 'FAILED', 1],
      ['pay_seed_000029701', 'FAILED', 1],
    ]);
    expect(page.next).toEqual({ createdAt: EPOCH + Math.floor(29_701 / 3) * 1_000, id: 'pay_seed_000029701' });
  });

  if (dialect === 'sqlite') {
    it.each(QUERIES)('should search %s with an index in page order, never scanning payments or sorting them', async (_name, query, index) => {
      const { sql, parameters } = paymentPageStatement(select, query);

      const plan = (await session.rows<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, parameters)).map((row) => row.detail);

      expect(plan).toContainEqual(expect.stringMatching(new RegExp(`^SEARCH p USING (COVERING )?INDEX ${index} \\(merchant_id=\\?`)));
      expect(plan.filter((detail) => /^SCAN p\b/.test(detail) || /TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(detail))).toEqual([]);
      // The attempts and refunds of each payment of the page: searched by key too.
      expect(plan.filter((detail) => /^SCAN [ar]\b/.test(detail))).toEqual([]);
    });
  } else {
    it.each(QUERIES)('should scan %s backwards along an index, reading about one page of it, without a sort', async (_name, query, index) => {
      const { sql, parameters, limit } = paymentPageStatement(select, query);

      const [row] = await session.rows<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, parameters);
      const all = nodes((row as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan);
      const payments = all.filter((node) => node['Relation Name'] === 'payments');

      expect(payments.map((node) => [node['Node Type'], node['Index Name'], node['Scan Direction']])).toEqual([[expect.stringMatching(/^Index (Only )?Scan$/), index, 'Backward']]);
      expect(all.filter((node) => node['Node Type'] === 'Sort' || node['Node Type'] === 'Seq Scan')).toEqual([]);
      // What the index scan returned: at most the page and the row telling that there is another.
      expect(payments[0]?.['Actual Rows']).toBeLessThanOrEqual(limit + 1);
    });
  }
});
