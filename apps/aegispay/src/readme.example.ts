import { createAppContainer, HTTP_TOKENS, httpModule, loadConfig, TOKENS } from '@aegispay/app';
import type { DomainEvent, EventPublisher } from '@aegispay/domain';
import { SimulatedGateway } from '@aegispay/gateways';
import { ContainerModule } from 'inversify';

/** Your event publisher (a broker, a queue, a webhook sender); this one keeps what it is given. */
export class RecordingPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];

  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.published.push(...events);
  }
}

export const publisher = new RecordingPublisher();

// A bindings module: `aegispay serve --bindings ./my-bindings.js` (or AEGISPAY_BINDINGS) loads its
// default export after the app's own modules, so each rebinding replaces the app's.
const bindings = new ContainerModule(({ rebindSync }) => {
  // The gateways the orchestrator routes between: your connectors instead of the simulated
  // acquirers (one simulated acquirer named ACME stands in for yours here).
  rebindSync(TOKENS.PaymentGateways)
    .toResolvedValue((clock, random, ids) => [new SimulatedGateway({ name: 'ACME', approvalRate: 1, clock, random, ids })], [TOKENS.Clock, TOKENS.Random, TOKENS.IdGenerator])
    .inSingletonScope();
  // Where the outbox relay publishes payment events.
  rebindSync(TOKENS.EventPublisher).toConstantValue(publisher);
});
export default bindings;

// Or compose your own server in code: the same container, the HTTP API as one more module.
export async function main(): Promise<{ status: number; gateway: string; events: string[] }> {
  const config = loadConfig({ overrides: { persistence: 'memory', apiKeys: { sk_test_swap_an_adapter: 'merchant_1' } } });
  const app = await createAppContainer(config, { modules: [httpModule(), bindings] });
  const server = await app.getAsync(HTTP_TOKENS.HttpServer);
  app.start();
  const url = await server.listen(0, '127.0.0.1');
  try {
    const response = await fetch(`${url}/v1/payments`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_swap_an_adapter', 'Idempotency-Key': 'order-1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 1999, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_approve_visa' } }),
    });
    const { payment } = (await response.json()) as { payment: { id: string; gateway: string } };
    await app.get(TOKENS.OutboxRelay).drain();
    const events = publisher.published.filter((event) => event.aggregateId === payment.id).map((event) => event.type);
    return { status: response.status, gateway: payment.gateway, events };
  } finally {
    await server.shutdown();
  }
}
