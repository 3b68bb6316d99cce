import type { DomainEvent } from './domain-event';

/** The types of event a payment records, one per state change. */
export const PAYMENT_EVENT_TYPES = [
  'PaymentCreated',
  'PaymentProcessingStarted',
  'PaymentActionRequired',
  'PaymentSucceeded',
  'PaymentFailed',
  'PaymentCancelled',
  'RefundProcessed',
  'RefundFailed',
] as const;

/** A payment event type. */
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

export type PaymentCreated = DomainEvent<
  'PaymentCreated',
  { merchantId: string; amount: number; currency: string; paymentMethodType: string }
>;
export type PaymentProcessingStarted = DomainEvent<'PaymentProcessingStarted', { from: string }>;
export type PaymentActionRequired = DomainEvent<'PaymentActionRequired', { reason: string }>;
export type PaymentSucceeded = DomainEvent<
  'PaymentSucceeded',
  { gateway: string; gatewayReference: string; amount: number; currency: string }
>;
export type PaymentFailed = DomainEvent<'PaymentFailed', { code: string; reason: string; gateway: string | null }>;
export type PaymentCancelled = DomainEvent<'PaymentCancelled', { reason: string }>;
export type RefundProcessed = DomainEvent<
  'RefundProcessed',
  { refundId: string; amount: number; currency: string; refundedTotal: number; fullyRefunded: boolean }
>;

/** A refund did not go through: `rejected` when the gateway refused it for good, else it was never processed. */
export type RefundFailed = DomainEvent<'RefundFailed', { refundId: string; amount: number; currency: string; code: string; rejected: boolean }>;

/** Any event a payment records. */
export type PaymentEvent =
  | PaymentCreated
  | PaymentProcessingStarted
  | PaymentActionRequired
  | PaymentSucceeded
  | PaymentFailed
  | PaymentCancelled
  | RefundProcessed
  | RefundFailed;
