import { createHmac } from 'node:crypto';
import type { AdyenNotificationItem } from '../../webhooks/adyen-notification-events';
import type { StubLedger } from './stub-ledger';

/** A notification item before signing: everything but `additionalData.hmacSignature`. */
export type UnsignedNotificationItem = Omit<AdyenNotificationItem, 'additionalData'> & {
  readonly additionalData?: Readonly<Record<string, string>>;
  readonly paymentMethod?: string;
};

/**
 * The HMAC signature of a standard-webhook item, computed from Adyen's documented scheme on its own
 * (not with the SDK the connector verifies with): HMAC-SHA256, keyed with the hex key decoded to
 * bytes, of `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
 * (missing fields empty), base64. Source: Adyen docs, "Verify HMAC signatures".
 */
export function adyenItemSignature(item: UnsignedNotificationItem, hmacKeyHex: string): string {
  const signed = [
    item.pspReference,
    item.originalReference ?? '',
    item.merchantAccountCode,
    item.merchantReference ?? '',
    String(item.amount.value),
    item.amount.currency,
    item.eventCode,
    item.success,
  ].join(':');
  return createHmac('sha256', Buffer.from(hmacKeyHex, 'hex')).update(signed, 'utf8').digest('base64');
}

/**
 * A standard webhook body (`{ live, notificationItems: [{ NotificationRequestItem }] }`) carrying
 * `items`, each signed with `hmacKeyHex`. Adyen sends JSON webhooks with one item each.
 */
export function signedAdyenWebhook(items: readonly UnsignedNotificationItem[], hmacKeyHex: string): string {
  return JSON.stringify({
    live: 'false',
    notificationItems: items.map((item) => ({
      NotificationRequestItem: { ...item, additionalData: { ...(item.additionalData ?? {}), hmacSignature: adyenItemSignature(item, hmacKeyHex) } },
    })),
  });
}

/** How one delivery attempt went. */
export interface StubDelivery {
  readonly id: number;
  readonly delivered: boolean;
  readonly error?: string;
}

/** Options of {@link StubNotifier}. */
export interface StubNotifierOptions {
  readonly ledger: StubLedger;
  readonly hmacKey: string;
  readonly url: string | undefined;
  /** `auto`: deliver at once and retry with backoff; `manual`: only when `deliverAll()` is called. */
  readonly mode: 'auto' | 'manual';
  readonly now: () => number;
}

/**
 * The stub's webhook sender: items are signed and queued in the ledger (so a queue survives a
 * restart), then POSTed one per webhook to the configured URL; a 2xx answer acknowledges one, as
 * with Adyen. Undelivered webhooks are retried (auto mode) with a doubling delay up to 30 s.
 */
export class StubNotifier {
  readonly #options: StubNotifierOptions;
  #pumping: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #failures = 0;

  constructor(options: StubNotifierOptions) {
    this.#options = options;
  }

  /** Signs and queues an item (call inside the ledger transaction that made the event). */
  enqueue(item: UnsignedNotificationItem): void {
    this.#options.ledger.enqueueNotification(signedAdyenWebhook([item], this.#options.hmacKey), this.#options.now());
  }

  /** In auto mode, starts delivering what is queued. */
  kick(): void {
    if (this.#options.mode === 'auto' && this.#options.url !== undefined && !this.#closed) void this.pump();
  }

  /** Tries every queued webhook once, in order; resolves with how each went. */
  async deliverAll(): Promise<StubDelivery[]> {
    if (this.#options.url === undefined) throw new Error('The Adyen stub has no notificationUrl to deliver webhooks to.');
    await this.#pumping;
    return this.deliverQueued(false);
  }

  /** Stops retrying and waits for a delivery under way. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    await this.#pumping;
  }

  private pump(): Promise<void> {
    if (this.#pumping !== undefined) return this.#pumping;
    this.#pumping = (async () => {
      try {
        const results = await this.deliverQueued(true);
        if (results.some((result) => !result.delivered)) this.scheduleRetry();
        else this.#failures = 0;
      } finally {
        this.#pumping = undefined;
      }
    })();
    return this.#pumping;
  }

  private async deliverQueued(stopAtFailure: boolean): Promise<StubDelivery[]> {
    const url = this.#options.url as string;
    const results: StubDelivery[] = [];
    for (const record of this.#options.ledger.notifications(true)) {
      if (this.#closed) break;
      const error = await this.post(url, record.body);
      this.#options.ledger.markDelivery(record.id, this.#options.now(), error);
      results.push({ id: record.id, delivered: error === undefined, ...(error === undefined ? {} : { error }) });
      if (error !== undefined && stopAtFailure) break; // in order: a refused webhook holds the ones after it
    }
    return results;
  }

  private scheduleRetry(): void {
    if (this.#closed || this.#retry !== undefined) return;
    this.#failures += 1;
    const delay = Math.min(30_000, 500 * 2 ** (this.#failures - 1));
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.kick();
    }, delay);
    this.#retry.unref();
  }

  private async post(url: string, body: string): Promise<string | undefined> {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
