/**
 * A payment process for the crash test: runs the real orchestrator on the database at argv[2]
 * (schema argv[3] or "-") against gateways served by the parent over IPC, and reports each
 * finished payment. It runs until it is killed.
 */
import { CryptoIdGenerator, CryptoRandom, SystemClock } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { PaymentOrchestrator } from '@aegispay/orchestrator';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { createDataSource, TypeOrmIdempotencyStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { IpcGateway } from './ipc-gateway';

async function main(): Promise<void> {
  const [url, schema] = process.argv.slice(2);
  const dataSource = await createDataSource({ url: url as string, ...(schema === undefined || schema === '-' ? {} : { schema }) });
  const clock = new SystemClock();
  const random = new CryptoRandom();
  const ids = new CryptoIdGenerator();
  const metrics = new GatewayMetricsCollector({ clock });
  const orchestrator = new PaymentOrchestrator(
    {
      repository: new TypeOrmPaymentRepository(dataSource, { clock }),
      idempotency: new TypeOrmIdempotencyStore(dataSource, { clock }),
      gateways: ['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'].map((name) => new IpcGateway(name)),
      routing: new IntelligentRoutingEngine(metrics, { clock, random }),
      metrics,
      breakers: new CircuitBreakerManager({ clock }),
      clock,
      random,
      ids,
    },
    { gatewayTimeoutMs: 30, statusCheck: { attempts: 1, timeoutMs: 50 } },
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (;;) {
        const n = next++;
        const result = await orchestrator.processPayment(aPaymentRequest({ amount: 1_000 + n, idempotencyKey: `crash-${n}` }));
        if (result.outcome !== 'IN_PROGRESS') process.send?.({ kind: 'result', n, paymentId: result.paymentId, outcome: result.outcome, status: result.status });
      }
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
