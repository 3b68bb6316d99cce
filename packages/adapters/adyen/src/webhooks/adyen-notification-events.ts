import { Money, type GatewayNotification, type GatewayType } from '@aegispay/domain';
import { refusalReasonOf } from '../gateway/refusal-reasons';

/** One verified `NotificationRequestItem` of an Adyen standard webhook, the fields AegisPay reads. */
export interface AdyenNotificationItem {
  readonly pspReference: string;
  readonly originalReference?: string;
  readonly merchantAccountCode: string;
  readonly merchantReference?: string;
  readonly eventCode: string;
  readonly eventDate: string;
  readonly success: 'true' | 'false';
  readonly reason?: string;
  readonly amount: { readonly value: number; readonly currency: string };
  readonly additionalData?: Readonly<Record<string, string>>;
}

type Mapper = (item: AdyenNotificationItem, base: NotificationBase) => GatewayNotification | undefined;
type NotificationBase = Pick<GatewayNotification, 'gateway' | 'eventId' | 'occurredAt' | 'paymentId' | 'reference'>;

/**
 * Adyen standard-webhook `eventCode` → what AegisPay applies. Source: Adyen "Webhook types" and
 * "Event codes" (docs.adyen.com/development-resources/webhooks/webhook-types). Codes not listed
 * (REPORT_AVAILABLE, chargebacks, …) are verified and acknowledged but change nothing.
 *
 * - AUTHORISATION: the outcome of a payment (`success` true: APPROVED; false: DECLINED with the
 *   refusal reason of `reason`).
 * - CAPTURE: true confirms the capture (APPROVED); false, like CAPTURE_FAILED, means the money was
 *   not collected (a HARD `capture_failed` decline).
 * - CANCELLATION (true): the payment was cancelled before capture (a HARD `cancelled` decline); a
 *   failed cancellation leaves the payment as it was, so it changes nothing.
 * - OFFER_CLOSED: the shopper never completed the action asked of them (a SOFT `offer_closed`).
 * - REFUND: true settles the refund (REFUNDED), false refuses it (REJECTED with Adyen's reason);
 *   REFUND_FAILED and REFUNDED_REVERSED undo a refund reported as done (REJECTED).
 */
export const ADYEN_NOTIFICATION_EVENTS: Readonly<Record<string, Mapper>> = {
  AUTHORISATION: (item, base) =>
    charge(base, item.pspReference, item.success === 'true' ? approved(item, item.pspReference) : declinedBy(item)),
  CAPTURE: (item, base) =>
    charge(base, item.originalReference ?? item.pspReference, item.success === 'true' ? approved(item, item.originalReference ?? item.pspReference) : hard('capture_failed')),
  CAPTURE_FAILED: (item, base) => charge(base, item.originalReference ?? item.pspReference, hard('capture_failed')),
  CANCELLATION: (item, base) => (item.success === 'true' ? charge(base, item.originalReference ?? item.pspReference, hard('cancelled')) : undefined),
  OFFER_CLOSED: (item, base) =>
    item.success === 'true' ? charge(base, item.pspReference, { status: 'DECLINED', declineCode: 'offer_closed', declineType: 'SOFT' }) : undefined,
  REFUND: (item, base) =>
    refund(item, base, item.success === 'true' ? { status: 'REFUNDED', gatewayReference: item.pspReference, amount: moneyOf(item) } : rejected('refund_failed', item)),
  REFUND_FAILED: (item, base) => refund(item, base, rejected('refund_failed', item)),
  REFUNDED_REVERSED: (item, base) => refund(item, base, rejected('refunded_reversed', item)),
};

/**
 * The id AegisPay de-duplicates a notification item on: `pspReference:eventCode:success`. Adyen
 * may send the same item more than once (it retries until acknowledged); those collapse. An item
 * whose outcome changed (`success` false, then true) is a new event and is applied.
 */
export function notificationEventId(item: AdyenNotificationItem): string {
  return `${item.pspReference}:${item.eventCode}:${item.success}`;
}

/** The notification an item means, or `undefined` for an event AegisPay does not act on. */
export function notificationOf(gateway: GatewayType, item: AdyenNotificationItem): GatewayNotification | undefined {
  const mapper = ADYEN_NOTIFICATION_EVENTS[item.eventCode];
  if (mapper === undefined) return undefined;
  const paymentId = item.additionalData?.['metadata.paymentId'];
  const base: NotificationBase = {
    gateway,
    eventId: notificationEventId(item),
    occurredAt: Date.parse(item.eventDate),
    ...(paymentId === undefined ? {} : { paymentId }),
    ...(item.merchantReference === undefined ? {} : { reference: item.merchantReference }),
  };
  return mapper(item, base);
}

type ChargeStatus = Extract<GatewayNotification, { type: 'CHARGE' }>['status'];
type RefundStatus = Extract<GatewayNotification, { type: 'REFUND' }>['status'];

function charge(base: NotificationBase, gatewayReference: string, status: ChargeStatus): GatewayNotification {
  return { ...base, type: 'CHARGE', gatewayReference, status };
}

function refund(item: AdyenNotificationItem, base: NotificationBase, status: RefundStatus): GatewayNotification {
  return { ...base, type: 'REFUND', ...(item.originalReference === undefined ? {} : { chargeReference: item.originalReference }), status };
}

function approved(item: AdyenNotificationItem, gatewayReference: string): ChargeStatus {
  return { status: 'APPROVED', gatewayReference, amount: moneyOf(item) };
}

function declinedBy(item: AdyenNotificationItem): ChargeStatus {
  const reason = refusalReasonOf(undefined, item.reason);
  return { status: 'DECLINED', declineCode: reason.declineCode, declineType: reason.declineType };
}

function hard(declineCode: string): ChargeStatus {
  return { status: 'DECLINED', declineCode, declineType: 'HARD' };
}

function rejected(code: string, item: AdyenNotificationItem): RefundStatus {
  return { status: 'REJECTED', code, ...(item.reason === undefined || item.reason === '' ? {} : { message: item.reason }) };
}

function moneyOf(item: AdyenNotificationItem): Money {
  return Money.of(item.amount.value, item.amount.currency);
}
