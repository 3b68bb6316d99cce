import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName } from '../sql/qualified-name';

/**
 * An index over the outbox messages already published, by when they were published: what the
 * retention job's bounded deletes walk, oldest first, without scanning the messages still
 * inside the retention period. (Expired idempotency keys have had theirs since the first schema.)
 *
 * Accepted as written by SQLite and PostgreSQL.
 */
export class PublishedOutboxIndex1768521600000 implements MigrationInterface {
  readonly name = 'PublishedOutboxIndex1768521600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    await queryRunner.query(`CREATE INDEX "ix_outbox_messages_published" ON ${qualifiedName(schema, 'outbox_messages')} ("published_at") WHERE published_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    await queryRunner.query(`DROP INDEX ${qualifiedName(schema, 'ix_outbox_messages_published')}`);
  }
}
