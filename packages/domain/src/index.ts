// Errors
export { AegisPayError, type ErrorDetails } from './errors/aegispay.error';
export { ValidationError } from './errors/validation.error';

// Money
export { Money, assertMinorUnits, type MoneyJson } from './money/money';
export { currencyOf, isCurrencyCode, listCurrencies, type Currency } from './money/currency';
export { ISO_4217_EXPONENTS } from './money/iso-4217';
export { CurrencyMismatchError, InvalidAmountError, InvalidCurrencyError } from './money/money.errors';

// Payment aggregate
export { Payment } from './payment/payment.aggregate';
export type { PaymentDependencies } from './payment/payment-dependencies';
export { MAX_TEXT_LENGTH, requireIdempotencyKey, validatePaymentInput, type CreatePaymentInput, type ValidPaymentInput } from './payment/payment-input';
export type { PaymentSnapshot } from './payment/payment-snapshot';
export {
  PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
  TERMINAL_STATUSES,
  assertTransition,
  canTransition,
  isPaymentStatus,
  type PaymentStatus,
} from './payment/payment-status';
export {
  PAYMENT_METHOD_TYPES,
  isPaymentMethodType,
  type PaymentMethod,
  type PaymentMethodType,
} from './payment/payment-method';
export { CONTROL_CHARACTERS, METADATA_LIMITS, validateMetadata, type MetadataValue, type PaymentMetadata } from './payment/payment-metadata';
export {
  LIVE_ATTEMPT_OUTCOMES,
  isLiveAttempt,
  type AttemptOutcome,
  type BeginAttemptInput,
  type GatewayAttempt,
  type RecordAttemptInput,
  type SettleAttemptInput,
} from './payment/payment-attempt';
export type { Refund, RefundStatus, RequestRefundInput, SettleRefundInput } from './payment/refund';
export { CARD_ISSUERS, CARD_NUMBER_LENGTH, cardIssuerOf, type CardIssuer } from './payment/card-issuers';
export { containsCardNumber, isCardNumber, luhnValid } from './payment/card-number-detector';
export { DEFAULT_CARD_SEARCH_DEPTH, findCardNumber } from './payment/card-number-finder';
export { foldDigits } from './payment/unicode-digits';
export {
  CardDataDetectedError,
  DuplicateEntityError,
  EntityNotFoundError,
  IllegalStateTransitionError,
  InvalidPaymentError,
  PaymentNotFoundError,
  RefundExceedsCapturedError,
} from './payment/payment.errors';

// Events
export type { DomainEvent } from './events/domain-event';
export {
  PAYMENT_EVENT_TYPES,
  type PaymentActionRequired,
  type PaymentCancelled,
  type PaymentCreated,
  type PaymentEvent,
  type PaymentEventOf,
  type PaymentEventType,
  type PaymentFailed,
  type PaymentProcessingStarted,
  type PaymentSucceeded,
  type RefundFailed,
  type RefundProcessed,
} from './events/payment-events';

// Ports
export type { Clock, TimerHandle } from './ports/clock.port';
export type { Random } from './ports/random.port';
export type { IdGenerator } from './ports/id-generator.port';
export type { GatewayType } from './ports/gateway-type';
export {
  isTechnicalFailure,
  type ChargeActionRequired,
  type ChargeApproved,
  type ChargeDeclined,
  type ChargePending,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type ChargeTechnicalFailure,
  type ChargeUnknownOutcome,
  type DeclineType,
  type NextAction,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from './ports/payment-gateway.port';
export { GatewayTransportError, WebhookVerificationError, type GatewayTransportErrorInit } from './ports/gateway-transport.error';
export type {
  ChargeNotification,
  GatewayNotification,
  GatewayWebhookVerifier,
  RefundNotification,
  WebhookRequest,
} from './ports/gateway-notification';
export type { UpdateResult, Versioned, VersionedRepository } from './ports/versioned-repository.port';
export type { FindByStatusOptions, FindPendingRefundsOptions, PaymentRepository } from './ports/payment-repository.port';
export {
  comparePaymentPageKeys,
  DEFAULT_PAYMENT_PAGE_SIZE,
  matchesPaymentFilter,
  MAX_PAYMENT_PAGE_SIZE,
  normalizePaymentPageQuery,
  paymentPageKey,
  type NormalizedPaymentPageQuery,
  type PaymentFilter,
  type PaymentPage,
  type PaymentPageCursor,
  type PaymentPageQuery,
} from './ports/payment-page';
export type { EventPublisher } from './ports/event-publisher.port';
export { EventPublisherUnavailableError } from './ports/event-publisher.errors';
export {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  type IdempotencyBeginOptions,
  type IdempotencyBeginResult,
  type IdempotencyPeekResult,
  type IdempotencyStore,
} from './ports/idempotency-store.port';
export { IdempotencyKeyNotInProgressError, IdempotencyKeyReuseError } from './ports/idempotency-store.errors';
export type { DeadLetter, OutboxClaimRequest, OutboxFailure, OutboxMessage, OutboxStore } from './ports/outbox-store.port';
export type { UnitOfWork } from './ports/unit-of-work.port';
export type { VelocityCounterStore } from './ports/velocity-counter-store.port';

// Options: the one checker kit and the one error of invalid options
export { InvalidOptionError, type InvalidOptionContext } from './options/invalid-option.error';
export { OptionChecks, type InvalidOptionErrorFactory, type NumberRange } from './options/option-checks';

// JSON
export { canonicalJson, type JsonValue } from './json/json';

// Implementations of the time, randomness and identity ports
export { SystemClock } from './system/system-clock';
export { CryptoRandom } from './system/crypto-random';
export { CryptoIdGenerator } from './system/node-id-generator';
export { DEFAULT_VIRTUAL_EPOCH, VirtualClock, type VirtualClockOptions } from './system/virtual-clock';
export { BackgroundLoop, type BackgroundLoopOptions } from './system/background-loop';
