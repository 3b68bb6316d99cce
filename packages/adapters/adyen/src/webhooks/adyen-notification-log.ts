import type { ChargeNotification, GatewayNotification, RefundNotification } from '@aegispay/domain';

/**
 * What Adyen's verified webhooks said, by our reference: the latest charge notification of each
 * attempt reference and the latest refund notification of each refund reference. The webhook
 * verifier records into it; the gateway's lookups read it first, since a webhook is the only way
 * Adyen tells a final outcome (a settled refund, a payment completed after 3-D Secure) and the only
 * way to learn about a request past its deadline without replaying it.
 */
export interface AdyenNotificationLog {
  record(notification: GatewayNotification): void;
  charge(reference: string): ChargeNotification | undefined;
  refund(reference: string): RefundNotification | undefined;
}

/**
 * An {@link AdyenNotificationLog} in memory, holding the latest `maxEntries` references (the oldest
 * forgotten first). A later `occurredAt` replaces an earlier one; an older notification arriving
 * late changes nothing. Lost on restart: the orchestrator has applied what it needed by then.
 */
export class InMemoryAdyenNotificationLog implements AdyenNotificationLog {
  readonly #charges = new Map<string, ChargeNotification>();
  readonly #refunds = new Map<string, RefundNotification>();

  /** @param maxEntries per kind; defaults to 100 000. */
  constructor(private readonly maxEntries = 100_000) {}

  record(notification: GatewayNotification): void {
    if (notification.reference === undefined) return;
    if (notification.type === 'CHARGE') keep(this.#charges, notification.reference, notification, this.maxEntries);
    else keep(this.#refunds, notification.reference, notification, this.maxEntries);
  }

  charge(reference: string): ChargeNotification | undefined {
    return this.#charges.get(reference);
  }

  refund(reference: string): RefundNotification | undefined {
    return this.#refunds.get(reference);
  }
}

function keep<T extends GatewayNotification>(entries: Map<string, T>, reference: string, notification: T, maxEntries: number): void {
  const known = entries.get(reference);
  if (known !== undefined && known.occurredAt > notification.occurredAt) return;
  entries.delete(reference);
  entries.set(reference, notification);
  if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
}
