/**
 * An outbox relay process for the events-to-NATS test: claims one batch from the outbox of the
 * database at argv[2] (schema argv[3] or "-") and publishes it to NATS JetStream at argv[4]; after
 * argv[5] events were stored by the broker it tells the parent (`stored`) and stops there, its
 * batch claimed and nothing marked — until the parent kills it.
 */
import type { DomainEvent, EventPublisher } from '@aegispay/domain';
import { OutboxRelay } from '@aegispay/locking';
import { JetStreamEventPublisher } from '@aegispay/nats';
import { createDataSource, TypeOrmOutboxStore } from '@aegispay/typeorm';

async function main(): Promise<void> {
  const [url, schema, natsUrl, storedBeforeHang, batchSize, leaseMs] = process.argv.slice(2);
  const dataSource = await createDataSource({ url: url as string, ...(schema === undefined || schema === '-' ? {} : { schema }) });
  const publisher = new JetStreamEventPublisher({ servers: natsUrl as string });
  let budget = Number(storedBeforeHang);
  const stored: string[] = [];
  const hanging: EventPublisher = {
    async publish(events: readonly DomainEvent[]): Promise<void> {
      for (const event of events) {
        if (budget === 0) {
          process.send?.({ kind: 'stored', ids: stored });
          await new Promise<never>(() => undefined); // killed here, mid-batch
        }
        await publisher.publish([event]);
        stored.push(event.id);
        budget -= 1;
      }
    },
  };
  const relay = new OutboxRelay(new TypeOrmOutboxStore(dataSource), hanging, { batchSize: Number(batchSize), leaseMs: Number(leaseMs), relayId: 'relay-killed' });
  await relay.runOnce();
  process.send?.({ kind: 'finished' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
