import { decodeEventMessage } from '@aegispay/nats';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** One message as a consumer received it. */
export interface Delivery {
  /** Its position in the stream. */
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly eventId: string;
  readonly aggregateId: string;
  /** `PaymentProcessingStarted:PENDING`: the type, and for a processing start where it came from. */
  readonly step: string;
  readonly redelivered: boolean;
}

/**
 * A durable pull consumer of every event of `stream`, running until closed, acknowledging each
 * message after recording it. It rides out a server restart (the client reconnects, the consumer
 * is durable on file).
 */
export class JetStreamLog {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly messages: ConsumerMessages,
    /** What was received, in order of arrival. */
    readonly deliveries: readonly Delivery[],
    private readonly running: Promise<void>,
  ) {}

  static async start(url: string, stream: string, durable: string): Promise<JetStreamLog> {
    const connection = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    await (await jetstreamManager(connection)).consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    const messages = await (await jetstream(connection).consumers.get(stream, durable)).consume({ max_messages: 50, expires: 1_000 });
    const deliveries: Delivery[] = [];
    const running = (async () => {
      for await (const message of messages) {
        const event = decodeEventMessage(message.data);
        const from = event.payload['from'];
        deliveries.push({
          seq: message.seq,
          subject: message.subject,
          msgId: message.headers?.get('Nats-Msg-Id'),
          eventId: event.id,
          aggregateId: event.aggregateId,
          step: typeof from === 'string' ? `${event.type}:${from}` : event.type,
          redelivered: message.redelivered,
        });
        message.ack();
      }
    })();
    return new JetStreamLog(connection, messages, deliveries, running);
  }

  /** Distinct event ids received. */
  distinctEvents(): number {
    return new Set(this.deliveries.map((delivery) => delivery.eventId)).size;
  }

  async close(): Promise<void> {
    await this.messages.close();
    await this.running;
    await this.connection.close();
  }
}

/** How many messages `stream` holds, read through the JetStream API. */
export async function streamMessageCount(url: string, stream: string): Promise<number> {
  const connection = await connect({ servers: url });
  try {
    return (await (await jetstreamManager(connection)).streams.info(stream)).state.messages;
  } finally {
    await connection.close();
  }
}
