export { FakeClock } from './fake-clock';
export { SeededRandom } from './seeded-random';
export { SequentialIdGenerator } from './sequential-id-generator';
export { aPaymentRequest, aPendingPayment, aPaidPayment, testPaymentDependencies } from './payment.fixtures';
export type { PaymentGatewayContractFactory, PaymentGatewayContractSubject } from './payment-gateway.contract-subject';
export { paymentGatewayContract, type PaymentGatewayContractOptions } from './payment-gateway.contract';
export { FaultInjectingGateway, type FaultInjectingGatewayOptions } from './fault-injecting.gateway';
