import { AegisPayError } from '../errors/aegispay.error';

/**
 * The publisher cannot publish anything right now (`EVENTS.PUBLISHER_UNAVAILABLE`): its broker is
 * down or unreachable, the connection is re-established, the broker did not acknowledge in time.
 * No event is at fault, so a relay keeps them all — without counting a failed attempt against
 * any — and tries again later. `cause` holds what the broker client reported.
 */
export class EventPublisherUnavailableError extends AegisPayError {
  constructor(
    /** Who is unavailable, for operators (`NATS JetStream at nats://10.0.0.5:4222`). */
    readonly publisher: string,
    reason: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super('EVENTS.PUBLISHER_UNAVAILABLE', `${publisher} is unavailable: ${reason}. The events stay in the outbox and are published once it is back.`, {
      cause: options.cause,
      details: { publisher },
    });
  }
}
