import type { ChargeStatusResult, RefundStatusResult } from './payment-gateway.port';
import type { GatewayType } from './gateway-type';

/**
 * What a gateway told us on its own, by webhook, once its signature was verified: the new state of
 * a charge or of a refund. The orchestrator applies it like the answer of a status lookup.
 */
export type GatewayNotification = ChargeNotification | RefundNotification;

interface NotificationBase {
  readonly gateway: GatewayType;
  /** The gateway's id of this notification: the same id is applied once. */
  readonly eventId: string;
  /** Our payment id, when the gateway echoed it (metadata, merchant reference). */
  readonly paymentId?: string;
  /** Our idempotency reference of the charge or refund, when the gateway echoed it. */
  readonly reference?: string;
  /** Epoch ms at which the gateway created the notification. */
  readonly occurredAt: number;
}

/** A charge changed state at the gateway. */
export interface ChargeNotification extends NotificationBase {
  readonly type: 'CHARGE';
  /** The gateway's id of the charge. */
  readonly gatewayReference: string;
  readonly status: ChargeStatusResult;
}

/** A refund changed state at the gateway. */
export interface RefundNotification extends NotificationBase {
  readonly type: 'REFUND';
  /** The gateway's id of the refunded charge, when it says. */
  readonly chargeReference?: string;
  readonly status: RefundStatusResult;
}

/** The raw HTTP request of a webhook, as it arrived: the body untouched, since signatures cover its bytes. */
export interface WebhookRequest {
  readonly rawBody: Uint8Array;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * Verifies and reads a gateway's webhooks. Implemented by each connector with its gateway's own
 * signature scheme.
 */
export interface GatewayWebhookVerifier {
  readonly gateway: GatewayType;
  /**
   * The notifications of a webhook whose signature and timestamp are valid (possibly none: an event
   * type AegisPay does not act on).
   * @throws WebhookVerificationError for a missing, forged or stale signature; nothing is applied.
   */
  verify(request: WebhookRequest): readonly GatewayNotification[];
}
