import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '@aegispay/domain';
import type { StubLedger, StoredEvent } from './stub-ledger';

/**
 * The `Stripe-Signature` header Stripe sends with a webhook (https://docs.stripe.com/webhooks#verify-manually):
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint secret>`.
 */
export function stripeSignatureHeader(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

/** Where the stub delivers its webhooks. */
export interface WebhookTarget {
  /** The endpoint URL (`http://127.0.0.1:3000/v1/psp-webhooks/stripe`). */
  readonly url: string;
  /** The endpoint's signing secret (`whsec_…`). */
  readonly secret: string;
}

const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Delivers the ledger's events to the webhook endpoint, one at a time in the order they happened,
 * signed as Stripe signs them. An event is delivered once the endpoint answers 2xx; until then it
 * stays pending in the ledger (so it outlives a restart) and is sent again after a growing pause,
 * as Stripe retries for days.
 */
export class WebhookSender {
  private running: Promise<void> | undefined;
  private again = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ledger: StubLedger,
    private readonly target: WebhookTarget | undefined,
    private readonly clock: Clock,
  ) {}

  /** Starts delivering the pending events (a no-op without a target). */
  kick(): void {
    if (this.target === undefined || this.closed) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves once every event pending now has been tried (delivered or not). */
  async flush(): Promise<void> {
    this.kick();
    while (this.running !== undefined) await this.running;
  }

  /** Sends the event `id` again, whatever its state; returns the endpoint's status (0 when unreachable). */
  async redeliver(id: string): Promise<number> {
    const event = this.ledger.event(id);
    if (event === undefined || this.target === undefined) return 0;
    const status = await this.post(event);
    this.ledger.recordDelivery(event.id, status >= 200 && status < 300 ? this.clock.now() : null);
    return status;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
  }

  private async pass(): Promise<void> {
    for (const event of this.ledger.events(true)) {
      if (this.closed) return;
      const status = await this.post(event);
      if (this.closed) return;
      const delivered = status >= 200 && status < 300;
      this.ledger.recordDelivery(event.id, delivered ? this.clock.now() : null);
      if (!delivered) {
        // In order: later events wait for this one, as a receiver applying them in order expects.
        this.failures += 1;
        this.scheduleRetry();
        return;
      }
      this.failures = 0;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.failures));
    this.retryTimer.unref();
  }

  /** POSTs the event; resolves with the status code, 0 when the endpoint could not be reached. */
  private post(event: StoredEvent): Promise<number> {
    const target = this.target as WebhookTarget;
    const payload = event.body;
    const header = stripeSignatureHeader(payload, target.secret, Math.floor(this.clock.now() / 1_000));
    const url = new URL(target.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve) => {
      const request = send(
        url,
        {
          method: 'POST',
          agent: false,
          timeout: DELIVERY_TIMEOUT_MS,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(payload),
            'Stripe-Signature': header,
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', () => resolve(0));
        },
      );
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(0));
      request.end(payload);
    });
  }
}
