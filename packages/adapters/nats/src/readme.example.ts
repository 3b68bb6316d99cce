import { Payment } from '@aegispay/domain';
import { InMemoryOutboxStore, InMemoryPaymentRepository, OutboxRelay } from '@aegispay/locking';
import { decodeEventMessage, EventSubjects, JetStreamEventPublisher } from '@aegispay/nats';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The service side: the outbox relay publishes what payments record. */
export async function publishPaymentEvents(natsUrl: string): Promise<number> {
  const outbox = new InMemoryOutboxStore(); // TypeOrmOutboxStore of @aegispay/typeorm in a real service
  const payments = new InMemoryPaymentRepository({ outbox });
  const publisher = new JetStreamEventPublisher({
    servers: natsUrl, // nats://nats-1:4222, or every server of a cluster
    subjectPrefix: 'aegispay.events', // subjects: aegispay.events.<merchant>.<EventType>
    stream: { name: 'AEGISPAY_EVENTS', duplicateWindowMs: 300_000, maxAgeMs: 7 * 24 * 3_600_000 },
  });
  const relay = new OutboxRelay(outbox, publisher);
  try {
    const request = { merchantId: 'merchant_42', amount: 15000, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_visa' } } as const;
    const payment = await payments.insert(Payment.create(request)); // PaymentCreated, in the outbox
    payment.cancel('customer left');
    await payments.updateWithVersion(payment.id, payment, payment.version); // PaymentCancelled
    await payments.insert(Payment.create({ ...request, merchantId: 'merchant_7' }));

    // Each event is marked published once JetStream acknowledged it (the stream is made on connect).
    return await relay.drain();
  } finally {
    await publisher.close();
  }
}

/** A subscriber: a durable pull consumer of one merchant's events. */
export async function readMerchantEvents(natsUrl: string, handled: Set<string>): Promise<string[]> {
  const connection = await connect({ servers: natsUrl });
  try {
    const consumerName = 'ledger-merchant_42';
    await (await jetstreamManager(connection)).consumers.add('AEGISPAY_EVENTS', {
      durable_name: consumerName, // the server remembers what it acknowledged
      filter_subject: new EventSubjects('aegispay.events').forMerchant('merchant_42'), // aegispay.events.merchant_42.>
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.Explicit,
    });
    const consumer = await jetstream(connection).consumers.get('AEGISPAY_EVENTS', consumerName);
    const seen: string[] = [];
    for await (const message of await consumer.fetch({ max_messages: 100, expires: 1_000 })) {
      const event = decodeEventMessage(message.data);
      // Delivery is at least once: an event id already handled is acknowledged and skipped.
      if (!handled.has(event.id)) {
        handled.add(event.id);
        seen.push(`${event.type} ${String(event.payload['merchantId'])}`); // your handling here
      }
      message.ack();
    }
    return seen;
  } finally {
    await connection.close();
  }
}
