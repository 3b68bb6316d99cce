import type { JsonValue } from '../json/json';
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

/**
 * An event of one payment. Every payload names the payment's merchant (`merchantId`), so a
 * consumer — or a broker subject — can route any event without looking the payment up.
 */
export type PaymentEventOf<TType extends PaymentEventType, TPayload extends { readonly [key: string]: JsonValue }> = DomainEvent<
  TType,
  { merchantId: string } & TPayload
>;

export type PaymentCreated = PaymentEventOf<'PaymentCreated', { amount: number; currency: string; paymentMethodType: string }>;
export type PaymentProcessingStarted = PaymentEventOf<'PaymentProcessingStarted', { from: string }>;
export type PaymentActionRequired = PaymentEventOf<'PaymentActionRequired', { reason: string }>;
export type PaymentSucceeded = PaymentEventOf<
  'PaymentSucceeded',
  { gateway: string; gatewayReference: string; amount: number; currency: string }
>;
export type PaymentFailed = PaymentEventOf<'PaymentFailed', { code: string; reason: string; gateway: string | null }>;
export type PaymentCancelled = PaymentEventOf<'PaymentCancelled', { reason: string }>;
export type RefundProcessed = PaymentEventOf<
  'RefundProcessed',
  { refundId: string; amount: number; currency: string; refundedTotal: number; fullyRefunded: boolean }
>;

/** A refund did not go through: `rejected` when the gateway refused it for good, else it was never processed. */
export type RefundFailed = PaymentEventOf<'RefundFailed', { refundId: string; amount: number; currency: string; code: string; rejected: boolean }>;

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
