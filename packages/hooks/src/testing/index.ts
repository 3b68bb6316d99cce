export { aHookContext, aRoutingContext, anErrorContext } from './hook-context.fixtures';
export { RecordingEventListener, RecordingMetricsCollector, StaticFraudCheck } from './recording-hooks';
