export { aChargeRequest, aRefundRequest } from './charge-request.fixtures';
export { createTestGateway, createTestGateways, type TestPorts } from './test-gateways';
export { simulatedGatewayContractSubject, type SimulatedGatewayContractSubjectOptions } from './contract-subject';
