// The pipeline
export {
  PaymentOrchestrator,
  type PaymentOrchestratorDependencies,
  type ProcessPaymentOptions,
  type RefundRequest,
} from './pipeline/payment-orchestrator';
export {
  ORCHESTRATOR_DEFAULTS,
  resolveOrchestratorOptions,
  worstCaseProcessingMs,
  type PaymentOrchestratorOptions,
  type ResolvedOrchestratorOptions,
  type SoftDeclinePolicy,
  type StatusCheckOptions,
} from './pipeline/payment-orchestrator.options';
export { paymentResultJson, paymentResultOf, type PaymentOutcome, type PaymentResult, type RefundResult } from './pipeline/payment-result';
export { requestFingerprint } from './pipeline/request-fingerprint';
export { chargeThroughBreaker, resolveChargeStatus, type GatewayCallOutcome } from './pipeline/gateway-call';

// Recovery
export {
  PaymentRecovery,
  type DoubleChargeFinding,
  type PaymentRecoveryDependencies,
  type PaymentRecoveryOptions,
  type RecoveryReport,
} from './recovery/payment-recovery';

// Errors
export {
  GatewayAttemptFailedError,
  OrchestratorConfigurationError,
  RefundFailedError,
  RefundKeyReuseError,
  RefundRejectedError,
  UnknownGatewayError,
} from './errors/orchestrator.errors';
