import { hmacValidator } from '@adyen/api-library';
import { Money, WebhookVerificationError, type GatewayNotification, type GatewayType, type GatewayWebhookVerifier, type WebhookRequest } from '@aegispay/domain';
import { adyenOptionChecks } from '../errors/adyen.errors';
import { notificationOf, type AdyenNotificationItem } from './adyen-notification-events';
import type { AdyenNotificationLog } from './adyen-notification-log';

/** Options of {@link AdyenWebhookVerifier}. The HMAC key is a secret: it never appears in errors or logs. */
export interface AdyenWebhookVerifierOptions {
  /** The HMAC key of the webhook (Customer Area > Developers > Webhooks), in hex as Adyen shows it. Required. */
  readonly hmacKey: string;
  /**
   * Only items of this merchant account are applied; items of other accounts (a company-level
   * webhook) are verified and ignored. Defaults to applying every account's items.
   */
  readonly merchantAccount?: string;
  /** The gateway name notifications carry. Defaults to `ADYEN`. */
  readonly name?: GatewayType;
  /** Where verified notifications are also recorded, for the account's `AdyenGateway` lookups. Defaults to none. */
  readonly notifications?: AdyenNotificationLog;
}

type NotificationItem = Parameters<InstanceType<typeof hmacValidator>['validateHMAC']>[0];

/**
 * Verifies Adyen standard webhooks (JSON, `notificationItems[].NotificationRequestItem`) and reads
 * them as {@link GatewayNotification}s.
 *
 * Every item must carry a valid `additionalData.hmacSignature`: HMAC-SHA256, keyed with the hex
 * HMAC key, of `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`,
 * checked with the SDK's `hmacValidator`. One bad item refuses the whole webhook, so nothing of a
 * forged webhook is applied.
 *
 * No age limit: Adyen retries an unacknowledged webhook for days, so a genuine item may arrive long
 * after its `eventDate`, and `eventDate` is not covered by the signature, so checking it would not
 * stop a replay anyway. Replays are harmless instead: each notification has an `eventId`
 * (`pspReference:eventCode:success`) applied at most once, and applying an old outcome to a payment
 * that moved on is refused by the payment's state machine.
 */
export class AdyenWebhookVerifier implements GatewayWebhookVerifier {
  /** Defaults to `ADYEN`. */
  readonly gateway: GatewayType;
  readonly #hmacKey: string;
  readonly #merchantAccount: string | undefined;
  readonly #validator = new hmacValidator();
  readonly #log: AdyenNotificationLog | undefined;

  /** @throws InvalidAdyenOptionError when the HMAC key is not a hex string. */
  constructor(options: AdyenWebhookVerifierOptions) {
    if (typeof options.hmacKey !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(options.hmacKey)) {
      throw adyenOptionChecks('AdyenWebhookVerifier').invalidSecret('hmacKey', 'must be the webhook HMAC key in hex, as the Customer Area shows it (Developers > Webhooks > HMAC key)');
    }
    this.#hmacKey = options.hmacKey;
    this.#merchantAccount = options.merchantAccount;
    this.gateway = options.name ?? 'ADYEN';
    this.#log = options.notifications;
  }

  /** @throws WebhookVerificationError `WEBHOOK.MALFORMED` or `WEBHOOK.INVALID_SIGNATURE`; nothing is applied then. */
  verify(request: WebhookRequest): readonly GatewayNotification[] {
    const items = this.parse(request.rawBody);
    items.forEach((item, index) => this.check(item, index));
    const notifications: GatewayNotification[] = [];
    for (const item of items) {
      if (this.#merchantAccount !== undefined && item.merchantAccountCode !== this.#merchantAccount) continue;
      const notification = notificationOf(this.gateway, item);
      if (notification !== undefined) notifications.push(notification);
    }
    for (const notification of notifications) this.#log?.record(notification);
    return notifications;
  }

  /** @internal Never shows the HMAC key. */
  toJSON(): { gateway: GatewayType; merchantAccount: string | undefined } {
    return { gateway: this.gateway, merchantAccount: this.#merchantAccount };
  }

  private check(item: AdyenNotificationItem, index: number): void {
    const signature = item.additionalData?.['hmacSignature'];
    if (typeof signature !== 'string' || signature === '') {
      throw this.refuse('WEBHOOK.INVALID_SIGNATURE', `notification item ${index} carries no additionalData.hmacSignature; enable HMAC signing on the webhook in the Customer Area.`);
    }
    if (!this.#validator.validateHMAC(item as NotificationItem, this.#hmacKey)) {
      throw this.refuse('WEBHOOK.INVALID_SIGNATURE', `the HMAC signature of notification item ${index} (pspReference ${item.pspReference}) does not match: it was not signed with this webhook's HMAC key.`);
    }
  }

  private parse(rawBody: Uint8Array): AdyenNotificationItem[] {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(rawBody).toString('utf8'));
    } catch {
      throw this.refuse('WEBHOOK.MALFORMED', 'the body is not JSON; configure the webhook to send JSON.');
    }
    const list = isRecord(body) ? body['notificationItems'] : undefined;
    if (!Array.isArray(list) || list.length === 0) throw this.refuse('WEBHOOK.MALFORMED', 'the body has no notificationItems.');
    return list.map((entry: unknown, index) => {
      const item = isRecord(entry) ? entry['NotificationRequestItem'] : undefined;
      const problem = problemOf(item);
      if (problem !== undefined) throw this.refuse('WEBHOOK.MALFORMED', `notification item ${index} ${problem}.`);
      return item as AdyenNotificationItem;
    });
  }

  private refuse(code: 'WEBHOOK.INVALID_SIGNATURE' | 'WEBHOOK.MALFORMED', reason: string): WebhookVerificationError {
    return new WebhookVerificationError(code, this.gateway, `Adyen webhook refused: ${reason}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a NotificationRequestItem, or `undefined` when it has every field AegisPay reads. */
function problemOf(item: unknown): string | undefined {
  if (!isRecord(item)) return 'has no NotificationRequestItem';
  for (const field of ['pspReference', 'merchantAccountCode', 'eventCode', 'eventDate'] as const) {
    if (typeof item[field] !== 'string' || item[field] === '') return `has no ${field}`;
  }
  for (const field of ['originalReference', 'merchantReference', 'reason'] as const) {
    if (item[field] !== undefined && typeof item[field] !== 'string') return `has a ${field} that is not a string`;
  }
  if (item['success'] !== 'true' && item['success'] !== 'false') return 'has a success other than "true" or "false"';
  if (Number.isNaN(Date.parse(item['eventDate'] as string))) return 'has an eventDate that is not ISO 8601';
  const amount = item['amount'];
  if (!isRecord(amount) || typeof amount['currency'] !== 'string' || !Number.isSafeInteger(amount['value'])) return 'has no amount { value, currency }';
  try {
    Money.of(amount['value'] as number, amount['currency']);
  } catch {
    return `has an amount AegisPay cannot read (${String(amount['value'])} ${amount['currency']})`;
  }
  const extra = item['additionalData'];
  if (extra !== undefined && (!isRecord(extra) || Object.values(extra).some((value) => typeof value !== 'string'))) return 'has additionalData that is not a map of strings';
  return undefined;
}
