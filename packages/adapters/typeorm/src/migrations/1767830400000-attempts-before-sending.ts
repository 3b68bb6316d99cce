import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName } from '../sql/qualified-name';

/**
 * Attempts recorded before their request leaves, refunds recorded before the gateway is asked,
 * and the customer's next action:
 *
 * - `payments.next_action`: what the customer must do while `REQUIRES_ACTION` (JSON, nullable);
 * - `payment_attempts.deadline`: the instant after which the gateway must not act on the request;
 * - `payment_refunds.status` (refunds stored before had been made: `SUCCEEDED`), `reference`,
 *   `gateway`, `failure_code`, `deadline`, `settled_at`, and a partial index over the refunds still
 *   `PENDING`, which recovery scans.
 *
 * Every statement is accepted as written by SQLite and PostgreSQL.
 */
export class AttemptsBeforeSending1767830400000 implements MigrationInterface {
  readonly name = 'AttemptsBeforeSending1767830400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = tableNamer(queryRunner);
    const statements = [
      `ALTER TABLE ${t('payments')} ADD COLUMN "next_action" text`,
      `ALTER TABLE ${t('payment_attempts')} ADD COLUMN "deadline" bigint`,
      `ALTER TABLE ${t('payment_refunds')} ADD COLUMN "status" varchar(20) NOT NULL DEFAULT 'SUCCEEDED'`,
      `ALTER TABLE ${t('payment_refunds')} ADD COLUMN "reference" varchar(255)`,
      `ALTER TABLE ${t('payment_refunds')} ADD COLUMN "gateway" varchar(64)`,
      `ALTER TABLE ${t('payment_refunds')} ADD COLUMN "failure_code" varchar(100)`,
      `ALTER TABLE ${t('payment_refunds')} ADD COLUMN "deadline" bigint`,
      `ALTER TABLE ${t('payment_refunds')} ADD COLUMN "settled_at" bigint`,
      `CREATE INDEX "ix_payment_refunds_pending" ON ${t('payment_refunds')} ("created_at") WHERE status = 'PENDING'`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = tableNamer(queryRunner);
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    await queryRunner.query(`DROP INDEX ${qualifiedName(schema, 'ix_payment_refunds_pending')}`);
    for (const column of ['settled_at', 'deadline', 'failure_code', 'gateway', 'reference', 'status']) {
      await queryRunner.query(`ALTER TABLE ${t('payment_refunds')} DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`ALTER TABLE ${t('payment_attempts')} DROP COLUMN "deadline"`);
    await queryRunner.query(`ALTER TABLE ${t('payments')} DROP COLUMN "next_action"`);
  }
}

function tableNamer(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => qualifiedName(schema, table);
}
