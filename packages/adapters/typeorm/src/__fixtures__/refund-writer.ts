/*
 * A separate OS process for the concurrency tests: opens its own connection to the database
 * given on the command line, waits for "go", races for an idempotency key, then applies `updates`
 * read-modify-write refunds of 1 minor unit to one payment through VersionedPaymentService.
 *
 * argv: <url> <schema or "-"> <paymentId> <updates>
 * IPC: → { type: 'ready' }  ← { type: 'go' }  → { type: 'done', idempotency, conflicts, attempts }
 */
import { SystemClock, type Payment } from '@aegispay/domain';
import { VersionedPaymentService } from '@aegispay/locking';
import { createDataSource } from '../data-source/create-data-source';
import { TypeOrmIdempotencyStore } from '../idempotency/typeorm-idempotency.store';
import { TypeOrmPaymentRepository } from '../payment/typeorm-payment.repository';

async function main(): Promise<void> {
  const [url, schema, paymentId, updates] = process.argv.slice(2);
  if (url === undefined || schema === undefined || paymentId === undefined || updates === undefined) throw new Error('usage: <url> <schema|-> <paymentId> <updates>');
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

  await new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message.type === 'go') resolve();
    });
    process.send?.({ type: 'ready' });
  });

  const claim = await idempotency.begin('merchant_1', 'race', 'fp');
  for (let i = 0; i < Number(updates); i += 1) {
    await service.update(paymentId, (payment: Payment) => void payment.refund({ amount: 1 }));
  }
  const stats = service.getStats();
  await dataSource.destroy();
  process.send?.({ type: 'done', idempotency: claim.status, conflicts: stats.conflicts, attempts: stats.attempts }, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
