import type { DomainEvent } from '@aegispay/domain';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { decodeEventMessage } from '../messages/event-message';
import { findNatsServer } from '../testing';

const binary = findNatsServer();
if (binary === undefined) {
  process.stderr.write('NATS JetStream suites skipped: nats-server was not found (set NATS_SERVER_BIN or install nats-server).\n');
}

/** `describe` when a nats-server binary is available, else `describe.skip` (with one line saying why). */
export const describeWithNats = binary === undefined ? describe.skip : describe;

/**
 * Resolves once `condition` holds, checking every `everyMs`; rejects with `what` after `timeoutMs`.
 * A wait for a condition with a deadline, never a sleep that correctness depends on.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, { timeoutMs = 20_000, everyMs = 10 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One message of a stream, as stored. */
export interface StoredEvent {
  readonly seq: number;
  readonly subject: string;
  /** The `Nats-Msg-Id` header. */
  readonly msgId: string | undefined;
  readonly event: DomainEvent;
}

/** Every message of `stream`, in stream order, read one by one through the JetStream API. */
export async function readStream(url: string, stream: string): Promise<StoredEvent[]> {
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
