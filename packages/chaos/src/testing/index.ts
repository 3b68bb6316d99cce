export { RecordingGateway, type RecordingGatewayOptions } from './recording.gateway';
export { FakeCircuitBreakerEvents } from './fake-circuit-breaker-events';
export { withChaosFaults } from './chaos-faults';
