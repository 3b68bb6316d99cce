export { createTestDatabase, postgresTestUrl, type TestDatabase } from './test-database';
