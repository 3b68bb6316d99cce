/*
 * A separate OS process for the concurrency tests: opens its own connection to the database
 * given on the command line, waits for "go", races for an idempotency key, then makes
 * read-modify-write refunds of 1 minor unit to one payment through VersionedPaymentService,
 * reporting after each one, until the parent says "stop" (or `cap` updates, a guard against a
 * parent that never does).
 *
 * argv: <url> <schema or "-"> <paymentId> <cap>
 * IPC: → { type: 'ready' }  ← { type: 'go' }  → { type: 'progress', succeeded, conflicts } after each update
 *      ← { type: 'stop' }  → { type: 'done', idempotency, succeeded, conflicts, attempts }
 */
import { SystemClock, type Payment } from '@aegispay/domain';
import { VersionedPaymentService } from '@aegispay/locking';
import { createDataSource } from '../data-source/create-data-source';
import { TypeOrmIdempotencyStore } from '../idempotency/typeorm-idempotency.store';
import { TypeOrmPaymentRepository } from '../payment/typeorm-payment.repository';

function send(message: object): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()));
}

async function main(): Promise<void> {
  const [url, schema, paymentId, cap] = process.argv.slice(2);
  if (url === undefined || schema === undefined || paymentId === undefined || cap === undefined) throw new Error('usage: <url> <schema|-> <paymentId> <cap>');
  const dataSource = await createDataSource({ url, ...(schema === '-' ? {} : { schema }), poolSize: 1 });
  const service = new VersionedPaymentService(new TypeOrmPaymentRepository(dataSource), {
    // Real backoff: this is how writers in separate processes behave in production.
    clock: new SystemClock(),
    maxRetries: 1_000,
    initialBackoffMs: 2,
    maxBackoffMs: 50,
    jitter: 'full',
  });
  const idempotency = new TypeOrmIdempotencyStore(dataSource);

  let stopped = false;
  await new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message.type === 'go') resolve();
      if (message.type === 'stop') stopped = true;
    });
    process.send?.({ type: 'ready' });
  });

  const claim = await idempotency.begin('merchant_1', 'race', 'fp');
  let succeeded = 0;
  while (!stopped && succeeded < Number(cap)) {
    await service.update(paymentId, (payment: Payment) => void payment.refund({ amount: 1 }));
    succeeded += 1;
    await send({ type: 'progress', succeeded, conflicts: service.getStats().conflicts });
  }
  const stats = service.getStats();
  await dataSource.destroy();
  await send({ type: 'done', idempotency: claim.status, succeeded, conflicts: stats.conflicts, attempts: stats.attempts });
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
