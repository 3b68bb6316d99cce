import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../sql/sql-dialect';
import { qualifiedName } from '../sql/qualified-name';

/**
 * The initial schema: payments with their attempts and refunds, the transactional outbox and the
 * idempotency keys. Generated from the entity schemas with TypeORM's schema builder (then made
 * schema-aware and tidied), and checked against them by a test.
 */
export class InitialSchema1767225600000 implements MigrationInterface {
  readonly name = 'InitialSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = dialectOf(queryRunner.connection) === 'postgres' ? postgresUp(tableNamer(queryRunner)) : sqliteUp();
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = tableNamer(queryRunner);
    const postgres = dialectOf(queryRunner.connection) === 'postgres';
    if (postgres) {
      await queryRunner.query(`ALTER TABLE ${t('payment_refunds')} DROP CONSTRAINT "fk_payment_refunds_payment"`);
      await queryRunner.query(`ALTER TABLE ${t('payment_attempts')} DROP CONSTRAINT "fk_payment_attempts_payment"`);
    }
    for (const table of ['idempotency_keys', 'outbox_messages', 'payment_refunds', 'payment_attempts', 'payments']) {
      await queryRunner.query(`DROP TABLE ${t(table)}`);
    }
  }
}

function tableNamer(queryRunner: QueryRunner): (table: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return (table) => qualifiedName(schema, table);
}

function postgresUp(t: (table: string) => string): string[] {
  return [
    `CREATE TABLE ${t('payments')} ("id" character varying(128) NOT NULL, "merchant_id" character varying(64) NOT NULL, "amount" bigint NOT NULL, "currency" character varying(3) NOT NULL, "payment_method_type" character varying(20) NOT NULL, "payment_method_token" character varying(256) NOT NULL, "customer_id" character varying(64), "description" text, "idempotency_key" character varying(255), "status" character varying(20) NOT NULL, "version" integer NOT NULL, "gateway" character varying(64), "gateway_reference" character varying(255), "failure_code" character varying(100), "failure_reason" text, "metadata" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "pk_payments" PRIMARY KEY ("id"))`,
    `CREATE UNIQUE INDEX "uq_payments_merchant_idempotency_key" ON ${t('payments')} ("merchant_id", "idempotency_key")`,
    `CREATE INDEX "ix_payments_status_updated_at" ON ${t('payments')} ("status", "updated_at")`,
    `CREATE TABLE ${t('payment_attempts')} ("payment_id" character varying(128) NOT NULL, "attempt_number" integer NOT NULL, "gateway" character varying(64) NOT NULL, "reference" character varying(255) NOT NULL, "outcome" character varying(20) NOT NULL, "gateway_reference" character varying(255), "decline_code" character varying(100), "decline_type" character varying(10), "error_code" character varying(100), "latency_ms" double precision NOT NULL, "at" bigint NOT NULL, CONSTRAINT "pk_payment_attempts" PRIMARY KEY ("payment_id", "attempt_number"))`,
    `CREATE TABLE ${t('payment_refunds')} ("id" character varying(128) NOT NULL, "payment_id" character varying(128) NOT NULL, "position" integer NOT NULL, "amount" bigint NOT NULL, "idempotency_key" character varying(255), "gateway_reference" character varying(255), "reason" text, "created_at" bigint NOT NULL, CONSTRAINT "pk_payment_refunds" PRIMARY KEY ("id"))`,
    `CREATE UNIQUE INDEX "uq_payment_refunds_payment_position" ON ${t('payment_refunds')} ("payment_id", "position")`,
    `CREATE TABLE ${t('outbox_messages')} ("sequence" BIGSERIAL NOT NULL, "event_id" character varying(128) NOT NULL, "aggregate_type" character varying(64) NOT NULL, "aggregate_id" character varying(128) NOT NULL, "event_type" character varying(100) NOT NULL, "payload" text NOT NULL, "occurred_at" bigint NOT NULL, "created_at" bigint NOT NULL, "available_at" bigint NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "claimed_by" character varying(128), "claimed_until" bigint, "published_at" bigint, "dead_lettered_at" bigint, "last_error" text, CONSTRAINT "pk_outbox_messages" PRIMARY KEY ("sequence"))`,
    `CREATE UNIQUE INDEX "uq_outbox_messages_event_id" ON ${t('outbox_messages')} ("event_id")`,
    `CREATE INDEX "ix_outbox_messages_unpublished" ON ${t('outbox_messages')} ("sequence") WHERE published_at IS NULL`,
    `CREATE INDEX "ix_outbox_messages_aggregate_unpublished" ON ${t('outbox_messages')} ("aggregate_id", "sequence") WHERE published_at IS NULL`,
    `CREATE TABLE ${t('idempotency_keys')} ("merchant_id" character varying(64) NOT NULL, "idempotency_key" character varying(255) NOT NULL, "fingerprint" text NOT NULL, "state" character varying(20) NOT NULL, "response" text, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "completed_at" bigint, CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("merchant_id", "idempotency_key"))`,
    `CREATE INDEX "ix_idempotency_keys_expires_at" ON ${t('idempotency_keys')} ("expires_at")`,
    `ALTER TABLE ${t('payment_attempts')} ADD CONSTRAINT "fk_payment_attempts_payment" FOREIGN KEY ("payment_id") REFERENCES ${t('payments')}("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    `ALTER TABLE ${t('payment_refunds')} ADD CONSTRAINT "fk_payment_refunds_payment" FOREIGN KEY ("payment_id") REFERENCES ${t('payments')}("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
  ];
}

function sqliteUp(): string[] {
  return [
    `CREATE TABLE "payments" ("id" varchar(128) PRIMARY KEY NOT NULL, "merchant_id" varchar(64) NOT NULL, "amount" bigint NOT NULL, "currency" varchar(3) NOT NULL, "payment_method_type" varchar(20) NOT NULL, "payment_method_token" varchar(256) NOT NULL, "customer_id" varchar(64), "description" text, "idempotency_key" varchar(255), "status" varchar(20) NOT NULL, "version" integer NOT NULL, "gateway" varchar(64), "gateway_reference" varchar(255), "failure_code" varchar(100), "failure_reason" text, "metadata" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`,
    `CREATE UNIQUE INDEX "uq_payments_merchant_idempotency_key" ON "payments" ("merchant_id", "idempotency_key")`,
    `CREATE INDEX "ix_payments_status_updated_at" ON "payments" ("status", "updated_at")`,
    `CREATE TABLE "payment_attempts" ("payment_id" varchar(128) NOT NULL, "attempt_number" integer NOT NULL, "gateway" varchar(64) NOT NULL, "reference" varchar(255) NOT NULL, "outcome" varchar(20) NOT NULL, "gateway_reference" varchar(255), "decline_code" varchar(100), "decline_type" varchar(10), "error_code" varchar(100), "latency_ms" double precision NOT NULL, "at" bigint NOT NULL, CONSTRAINT "fk_payment_attempts_payment" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION, PRIMARY KEY ("payment_id", "attempt_number"))`,
    `CREATE TABLE "payment_refunds" ("id" varchar(128) PRIMARY KEY NOT NULL, "payment_id" varchar(128) NOT NULL, "position" integer NOT NULL, "amount" bigint NOT NULL, "idempotency_key" varchar(255), "gateway_reference" varchar(255), "reason" text, "created_at" bigint NOT NULL, CONSTRAINT "fk_payment_refunds_payment" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION)`,
    `CREATE UNIQUE INDEX "uq_payment_refunds_payment_position" ON "payment_refunds" ("payment_id", "position")`,
    `CREATE TABLE "outbox_messages" ("sequence" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "event_id" varchar(128) NOT NULL, "aggregate_type" varchar(64) NOT NULL, "aggregate_id" varchar(128) NOT NULL, "event_type" varchar(100) NOT NULL, "payload" text NOT NULL, "occurred_at" bigint NOT NULL, "created_at" bigint NOT NULL, "available_at" bigint NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "claimed_by" varchar(128), "claimed_until" bigint, "published_at" bigint, "dead_lettered_at" bigint, "last_error" text)`,
    `CREATE UNIQUE INDEX "uq_outbox_messages_event_id" ON "outbox_messages" ("event_id")`,
    `CREATE INDEX "ix_outbox_messages_unpublished" ON "outbox_messages" ("sequence") WHERE published_at IS NULL`,
    `CREATE INDEX "ix_outbox_messages_aggregate_unpublished" ON "outbox_messages" ("aggregate_id", "sequence") WHERE published_at IS NULL`,
    `CREATE TABLE "idempotency_keys" ("merchant_id" varchar(64) NOT NULL, "idempotency_key" varchar(255) NOT NULL, "fingerprint" text NOT NULL, "state" varchar(20) NOT NULL, "response" text, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "completed_at" bigint, PRIMARY KEY ("merchant_id", "idempotency_key"))`,
    `CREATE INDEX "ix_idempotency_keys_expires_at" ON "idempotency_keys" ("expires_at")`,
  ];
}
