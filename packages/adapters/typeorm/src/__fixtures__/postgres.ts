import { announcePostgresSkip, postgresTestUrl } from '../testing/test-database';

export { testDialects } from '../testing/test-database';

/** `describe` when PostgreSQL is available, otherwise `describe.skip` after one line saying why. */
export function describeWithPostgres(name: string, suite: () => void): void {
  if (postgresTestUrl() === undefined) {
    announcePostgresSkip(name);
    describe.skip(name, suite);
  } else {
    describe(name, suite);
  }
}
