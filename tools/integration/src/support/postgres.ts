import type { SqlDialect } from '@aegispay/typeorm';
import { postgresTestUrl } from '@aegispay/typeorm/testing';

/** The dialects a suite runs on: SQLite always, PostgreSQL when `AEGISPAY_TEST_PG_URL` is set (else one line saying why). */
export function testDialects(what: string): SqlDialect[] {
  if (postgresTestUrl() !== undefined) return ['sqlite', 'postgres'];
  process.stderr.write(`PostgreSQL part of "${what}" skipped: AEGISPAY_TEST_PG_URL is not set (.ci/run sets it).\n`);
  return ['sqlite'];
}
