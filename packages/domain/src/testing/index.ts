export { deferred, type Deferred } from './deferred';
export { FakeClock } from './fake-clock';
export { SeededRandom } from './seeded-random';
export { SequentialIdGenerator } from './sequential-id-generator';
export { aPaymentRequest, aPendingPayment, aPaidPayment, testPaymentDependencies } from './payment.fixtures';
