import type { DomainEvent, JsonValue } from '@aegispay/domain';
import { InvalidEventMessageError } from '../errors/nats.errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body of an event's message: the event as JSON (UTF-8), exactly as the aggregate recorded it. */
export function encodeEventMessage(event: DomainEvent): Uint8Array {
  const { id, type, aggregateType, aggregateId, occurredAt, payload } = event;
  return encoder.encode(JSON.stringify({ id, type, aggregateType, aggregateId, occurredAt, payload }));
}

/**
 * The event a message body holds (for consumers: `decodeEventMessage(message.data)`).
 * @throws InvalidEventMessageError when the body is not an AegisPay event.
 */
export function decodeEventMessage(data: Uint8Array): DomainEvent {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new InvalidEventMessageError('the body is not UTF-8 JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidEventMessageError('the body is not a JSON object');
  const event = value as Record<string, unknown>;
  for (const field of ['id', 'type', 'aggregateType', 'aggregateId', 'occurredAt'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') throw new InvalidEventMessageError(`"${field}" is not a non-empty string`);
  }
  const payload = event['payload'];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new InvalidEventMessageError('"payload" is not a JSON object');
  return {
    id: event['id'] as string,
    type: event['type'] as string,
    aggregateType: event['aggregateType'] as string,
    aggregateId: event['aggregateId'] as string,
    occurredAt: event['occurredAt'] as string,
    payload: payload as { readonly [key: string]: JsonValue },
  };
}
