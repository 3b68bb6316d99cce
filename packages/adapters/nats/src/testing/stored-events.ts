import type { DomainEvent } from '@aegispay/domain';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { decodeEventMessage } from '../messages/event-message';

/** One message of the event stream, as the server stores it. */
export interface StoredEvent {
  /** Its position in the stream. */
  readonly seq: number;
  readonly subject: string;
  /** Its `Nats-Msg-Id` header: the event id. */
  readonly msgId: string | undefined;
  readonly event: DomainEvent;
}

/**
 * Every message of `stream` on the server at `url`, in stream order, read one by one through the
 * JetStream API (no consumer is created). For tests: what the stream holds, duplicates included.
 */
export async function readStoredEvents(url: string, stream = 'AEGISPAY_EVENTS'): Promise<StoredEvent[]> {
  const connection = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(connection);
    const { state } = await jsm.streams.info(stream);
    const stored: StoredEvent[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message === null) continue;
      stored.push({ seq: message.seq, subject: message.subject, msgId: message.header?.get('Nats-Msg-Id'), event: decodeEventMessage(message.data) });
    }
    return stored;
  } finally {
    await connection.close();
  }
}
