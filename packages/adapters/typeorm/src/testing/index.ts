export { announcePostgresSkip, createTestDatabase, postgresTestUrl, testDialects, useTestDatabase, type TestDatabase } from './test-database';
export { seedPayments, SEEDED_PAYMENTS, type SeedPaymentsOptions } from './payment-seed';
