export { announcePostgresSkip, createTestDatabase, postgresTestUrl, testDialects, type TestDatabase } from './test-database';
