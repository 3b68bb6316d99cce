import type { SqlDialect } from '../sql/sql-dialect';
import { postgresTestUrl } from '../testing/test-database';

function announceSkip(what: string): void {
  // One plain line (Jest decorates console output with a code frame).
  process.stderr.write(`PostgreSQL part of "${what}" skipped: AEGISPAY_TEST_PG_URL is not set (.ci/run sets it).\n`);
}

/** `describe` when PostgreSQL is available, otherwise `describe.skip` after one line saying why. */
export function describeWithPostgres(name: string, suite: () => void): void {
  if (postgresTestUrl() === undefined) {
    announceSkip(name);
    describe.skip(name, suite);
  } else {
    describe(name, suite);
  }
}

/** The dialects to run a suite on: SQLite always, PostgreSQL when available (else one line saying why). */
export function testDialects(what: string): SqlDialect[] {
  if (postgresTestUrl() !== undefined) return ['sqlite', 'postgres'];
  announceSkip(what);
  return ['sqlite'];
}
