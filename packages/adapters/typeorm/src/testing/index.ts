export { announcePostgresSkip, createTestDatabase, postgresTestUrl, testDialects, useTestDatabase, type TestDatabase } from './test-database';
