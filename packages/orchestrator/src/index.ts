export {
  PaymentOrchestrator,
  type PaymentOrchestratorDependencies,
  type ProcessPaymentOptions,
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
export {
  isFinalResult,
  type FinalPaymentResult,
  type PaymentActionRequiredResult,
  type PaymentDeclinedResult,
  type PaymentFailedResult,
  type PaymentInProgressResult,
  type PaymentOutcome,
  type PaymentPendingRecoveryResult,
  type PaymentPendingResult,
  type PaymentRejectedResult,
  type PaymentResult,
  type PaymentSucceededResult,
  type PipelineFailureCode,
  type RejectionCode,
  type StoredPaymentResult,
} from './payment/payment-result';
export type { RefundPaymentInput, RefundPaymentResult } from './refund/refund-result';
export type { NotificationOutcome, NotificationOutcomeKind } from './notification/notification-outcome';
export { NOTIFICATION_EVENTS_OWNER } from './notification/gateway-notifications';
export { requestFingerprint } from './idempotency/request-fingerprint';
export {
  callThroughBreaker,
  chargeThroughBreaker,
  resolveChargeStatus,
  resolveStatus,
  type GatewayCallOutcome,
  type StatusResolution,
} from './attempt/gateway-call';
export type { OrchestratorErrorContext, OrchestratorErrorReporter } from './support/orchestrator-error-reporter';

export {
  PaymentRecovery,
  type DoubleChargeFinding,
  type PaymentRecoveryDependencies,
  type PaymentRecoveryOptions,
  type RecoveryReport,
} from './recovery/payment-recovery';

export {
  GatewayAttemptFailedError,
  GatewayDiscrepancyError,
  OrchestratorConfigurationError,
  RefundFailedError,
  RefundInProgressError,
  RefundKeyReuseError,
  RefundRejectedError,
  UnknownGatewayError,
} from './errors/orchestrator.errors';
