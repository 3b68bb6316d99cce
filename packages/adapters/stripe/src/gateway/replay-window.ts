import type { Clock } from '@aegispay/domain';

/** How many first-send times a gateway remembers for requests that carry no deadline. */
const REMEMBERED_REFERENCES = 10_000;

/**
 * Decides whether replaying a request under its idempotency key is still safe, i.e. whether Stripe
 * certainly still holds the key. Stripe keeps keys for at least 24 hours after their first use and
 * then forgets them: a replay after that is a new request, and charges (or refunds) again.
 *
 * A request's age is bounded by its `deadline` (it was sent before it). A request without one is
 * dated by this process's own record of when it first sent it; one this process never sent (after a
 * restart) has no known age and is not replayed.
 */
export class ReplayWindow {
  private readonly firstSent = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    /** How long after the deadline (or the first send) a replay is allowed, ms. */
    private readonly windowMs: number,
  ) {}

  /** Notes that the request `key` is about to be sent (the first time counts). */
  noteSent(key: string): void {
    if (this.firstSent.has(key)) return;
    if (this.firstSent.size >= REMEMBERED_REFERENCES) {
      const oldest = this.firstSent.keys().next();
      if (oldest.done !== true) this.firstSent.delete(oldest.value);
    }
    this.firstSent.set(key, this.clock.now());
  }

  /** Why the request `key` must not be replayed now, or `undefined` when a replay is safe. */
  refusal(key: string, deadline: number | undefined): string | undefined {
    const since = deadline ?? this.firstSent.get(key);
    if (since === undefined) {
      return (
        `the request "${key}" carries no deadline and was not sent by this process, so its age is unknown: ` +
        'Stripe may have forgotten its idempotency key (24 hours), and a replay could then be carried out a second time'
      );
    }
    const age = this.clock.now() - since;
    if (age <= this.windowMs) return undefined;
    return (
      `the request "${key}" is ${Math.round(age / 60_000)} minutes past its ${deadline === undefined ? 'first send' : 'deadline'}, beyond the ` +
      `${Math.round(this.windowMs / 60_000)}-minute replay window inside Stripe's 24-hour idempotency key window: a replay could be carried out a second time. ` +
      'Resolve it with the gatewayReference, a webhook, or the Stripe Dashboard'
    );
  }
}
