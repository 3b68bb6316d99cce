import { AegisPayError } from '@aegispay/domain';

/**
 * The broker refused one event (`NATS.PUBLISH_REFUSED`): larger than the server's `max_payload`
 * or the stream's `max_msg_size`, or refused by JetStream for a reason of the event's own. The
 * outbox relay charges the event an attempt and parks it as a dead letter after its last one
 * (visible with `listDeadLetters()`, published again with `redrive()` once the cause is fixed).
 */
export class NatsPublishRefusedError extends AegisPayError {
  constructor(
    /** The event's id. */
    readonly eventId: string,
    /** The subject it was published on. */
    readonly subject: string,
    reason: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super('NATS.PUBLISH_REFUSED', `NATS JetStream refused event ${eventId} on ${subject}: ${reason}.`, {
      cause: options.cause,
      details: { eventId, subject },
    });
  }
}

/**
 * The merchant of an event could not be told (`NATS.MERCHANT_UNKNOWN`), so it has no subject:
 * neither its payload names one (`payload.merchantId`) nor did `merchantOf` answer. Give the
 * publisher a `merchantOf` that knows (the app looks the payment up), then re-drive the event.
 */
export class EventMerchantUnknownError extends AegisPayError {
  constructor(
    /** The event's id. */
    readonly eventId: string,
    /** The event's type. */
    readonly eventType: string,
  ) {
    super(
      'NATS.MERCHANT_UNKNOWN',
      `Event ${eventId} (${eventType}) names no merchant: its payload has no merchantId and merchantOf returned nothing, so it has no subject.`,
      { details: { eventId, eventType } },
    );
  }
}

/**
 * The stream exists with a setting that cannot be changed in place (`NATS.STREAM_CONFLICT`): its
 * storage type or its retention policy differs from the publisher's. Nothing is published until
 * an operator resolves it (a new stream name, or the stream migrated by hand); the publisher
 * reports itself unavailable meanwhile, so the events wait in the outbox.
 */
export class NatsStreamConflictError extends AegisPayError {
  constructor(
    /** The stream's name. */
    readonly stream: string,
    /** The setting that differs (`storage`, `retention`). */
    readonly setting: string,
    /** What the stream has. */
    readonly actual: string,
    /** What the publisher is configured with. */
    readonly expected: string,
  ) {
    super(
      'NATS.STREAM_CONFLICT',
      `Stream ${stream} has ${setting} "${actual}" but the publisher is configured for "${expected}"; JetStream cannot change it in place: use another stream name or migrate the stream.`,
      { details: { stream, setting, actual, expected } },
    );
  }
}

/**
 * A message read from the stream is not an AegisPay event (`NATS.INVALID_EVENT_MESSAGE`): not JSON,
 * or missing one of `id`, `type`, `aggregateType`, `aggregateId`, `occurredAt`, `payload`.
 */
export class InvalidEventMessageError extends AegisPayError {
  constructor(reason: string, options: { readonly cause?: unknown } = {}) {
    super('NATS.INVALID_EVENT_MESSAGE', `Not an AegisPay event message: ${reason}.`, { cause: options.cause });
  }
}
