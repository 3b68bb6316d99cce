import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/**
 * What a failed JetStream publish means:
 * - `unavailable`: the broker did not answer (not connected, no acknowledgement in time, the
 *   connection closing) — no event is at fault;
 * - `stream`: nothing stored the event (no stream captures the subject, the stream is missing or
 *   is another one) — the stream is checked again, no event is at fault;
 * - `refused`: the broker refused this event (too large, or a JetStream error of its own).
 */
export type PublishFailureKind = 'unavailable' | 'stream' | 'refused';

/** Errors of the NATS client meaning the broker is away, by their `name` (they survive duplicate module copies). */
const UNAVAILABLE = new Set(['TimeoutError', 'ClosedConnectionError', 'DrainingConnectionError', 'ConnectionError', 'RequestError']);
/** JetStream's answers meaning no stream (or not ours) took the subject. */
const STREAM = new Set(['NoResponders', 'NoRespondersError', 'JetStreamNotEnabled', 'StreamNotFoundError']);
/** JetStream API errors of the stream rather than of the event: not found, not the expected one. */
const STREAM_API_CODES = new Set<number>([JetStreamApiCodes.StreamNotFound, 10060 /* expected stream does not match */, JetStreamApiCodes.JetStreamNotEnabledForAccount]);

/** Classifies what `JetStreamClient.publish` rejected with. */
export function classifyPublishError(error: unknown): PublishFailureKind {
  const name = error instanceof Error ? error.name : '';
  if (error instanceof JetStreamApiError) return STREAM_API_CODES.has(error.code) ? 'stream' : 'refused';
  if (STREAM.has(name)) return 'stream';
  if (UNAVAILABLE.has(name)) {
    // A request error wrapping "no responders" says the stream is missing, not the broker.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.name : '';
    return STREAM.has(cause) ? 'stream' : 'unavailable';
  }
  return 'refused';
}
