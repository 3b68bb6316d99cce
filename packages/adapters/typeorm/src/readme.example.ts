import { Payment } from '@aegispay/domain';
import { OutboxRelay, VersionedPaymentService } from '@aegispay/locking';
import {
  createDataSource,
  migrate,
  TypeOrmIdempotencyStore,
  TypeOrmOutboxStore,
  TypeOrmPaymentRepository,
  TypeOrmUnitOfWork,
} from '@aegispay/typeorm';

export async function main() {
  // Defaults to sqlite:./data/aegispay.sqlite; postgres://… selects PostgreSQL.
  const dataSource = await createDataSource({ url: 'sqlite::memory:' });
  try {
    await migrate(dataSource);
    const payments = new TypeOrmPaymentRepository(dataSource);
    const idempotency = new TypeOrmIdempotencyStore(dataSource);
    const unitOfWork = new TypeOrmUnitOfWork(dataSource);
    const service = new VersionedPaymentService(payments);

    // The idempotency claim, the new payment and its PaymentCreated event commit together.
    const payment = Payment.create({
      merchantId: 'merchant_1',
      amount: 1999,
      currency: 'EUR',
      paymentMethod: { type: 'CARD', token: 'tok_visa' },
      idempotencyKey: 'order-1001',
    });
    const claim = await unitOfWork.run(async () => {
      const begun = await idempotency.begin('merchant_1', 'order-1001', 'sha256:request-body');
      if (begun.status === 'STARTED') await payments.insert(payment);
      return begun.status;
    });

    // Each state change: read, apply, compare-and-swap on the version, retry on conflict.
    const paid = await service.update(payment.id, (current) => {
      current.startProcessing();
      current.recordAttempt({ gateway: 'STRIPE', reference: `${current.id}:1`, outcome: 'APPROVED', latencyMs: 140, gatewayReference: 'ch_1' });
      current.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_1' });
    });
    await idempotency.complete('merchant_1', 'order-1001', { paymentId: paid.id, status: paid.status });

    // A relay publishes the outbox: start()/stop() in a service, drain() here.
    const published: string[] = [];
    const relay = new OutboxRelay(new TypeOrmOutboxStore(dataSource), { publish: async (events) => void published.push(...events.map((e) => e.type)) });
    await relay.drain();

    const retry = await idempotency.begin('merchant_1', 'order-1001', 'sha256:request-body');
    return { claim, payment: `${paid.status} v${paid.version}`, published, retry };
  } finally {
    await dataSource.destroy();
  }
}
