import { Payment } from '@aegispay/domain';
import { InMemoryPaymentRepository, InMemoryVersionedRepository, OutboxRelay, VersionedPaymentService } from '@aegispay/locking';

interface VersionedPayment {
  readonly id: string;
  readonly version: number;
  readonly status: string;
  readonly amount: number;
}

export async function main() {
  // 1. The spec's versioned records, with automatic conflict resolution.
  const repository = new InMemoryVersionedRepository<VersionedPayment>();
  await repository.insert({ id: 'payment-123', version: 0, status: 'PENDING', amount: 1500 });
  const service = new VersionedPaymentService(repository, {
    maxRetries: 5,
    initialBackoffMs: 10,
    maxBackoffMs: 1000,
    backoffMultiplier: 2,
    jitterFactor: 0.1,
  });
  const processing = await service.conditionalUpdate('payment-123', 'PENDING', 'PROCESSING');

  // 2. Payment aggregates: each write stores the payment's events in its outbox, in the same step.
  const payments = new InMemoryPaymentRepository();
  const paymentService = new VersionedPaymentService(payments);
  const stored = await payments.insert(
    Payment.create({ merchantId: 'merchant_1', amount: 1999, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_visa' } }),
  );
  const paid = await paymentService.update(stored.id, (payment) => {
    payment.startProcessing();
    payment.recordAttempt({ gateway: 'STRIPE', reference: `${payment.id}:1`, outcome: 'APPROVED', latencyMs: 140, gatewayReference: 'ch_1' });
    payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_1' });
  });

  // 3. A relay publishes the outbox (start() polls; drain() empties it now).
  const published: string[] = [];
  const relay = new OutboxRelay(payments.outbox, { publish: async (events) => void published.push(...events.map((e) => e.type)) });
  await relay.drain();

  return { record: `${processing.status} v${processing.version}`, payment: `${paid.status} v${paid.version}`, published };
}
