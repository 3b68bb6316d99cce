import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName } from '../sql/qualified-name';

/** The listing indexes: name, then the columns before the page order's `(created_at, id)`. */
const INDEXES = [
  ['ix_payments_merchant_created', ['merchant_id']],
  ['ix_payments_merchant_status_created', ['merchant_id', 'status']],
  ['ix_payments_merchant_customer_created', ['merchant_id', 'customer_id']],
  ['ix_payments_merchant_gateway_created', ['merchant_id', 'gateway']],
] as const;

/**
 * Indexes for listing a merchant's payments newest first (`PaymentRepository.findPage`): one of
 * `(merchant_id, created_at, id)`, and one per equality filter (status, customer, gateway) with the
 * same tail. Read backwards, each yields a merchant's payments in page order from the cursor on,
 * so a page reads about `limit` index entries whether the table holds a thousand payments or
 * millions (a created range narrows the same scan).
 *
 * Ascending B-trees serve the descending order on both databases (both scan an index backwards).
 * On PostgreSQL the build locks writes to `payments` while it runs: on a large live table, create
 * them first with `CREATE INDEX CONCURRENTLY` under the same names (this migration then skips them).
 */
export class PaymentListingIndexes1768435200000 implements MigrationInterface {
  readonly name = 'PaymentListingIndexes1768435200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = qualifiedName(schemaOf(queryRunner), 'payments');
    for (const [name, leading] of INDEXES) {
      const columns = [...leading, 'created_at', 'id'].map((column) => `"${column}"`).join(', ');
      await queryRunner.query(`CREATE INDEX IF NOT EXISTS "${name}" ON ${table} (${columns})`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await queryRunner.query(`DROP INDEX ${qualifiedName(schemaOf(queryRunner), name)}`);
  }
}

function schemaOf(queryRunner: QueryRunner): string | undefined {
  return (queryRunner.connection.options as { schema?: string }).schema;
}
