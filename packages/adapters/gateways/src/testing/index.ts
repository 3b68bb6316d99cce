export { aChargeRequest, aRefundRequest } from './charge-request.fixtures';
export { createTestGateway, createTestGateways, type TestPorts } from './test-gateways';
