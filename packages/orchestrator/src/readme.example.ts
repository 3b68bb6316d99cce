import { FakeClock, SeededRandom, SequentialIdGenerator } from '@aegispay/domain/testing';
import { HookExecutor, HookRegistry, HighValueFraudCheck } from '@aegispay/hooks';
import { InMemoryIdempotencyStore, InMemoryPaymentRepository } from '@aegispay/locking';
import { PaymentOrchestrator, PaymentRecovery } from '@aegispay/orchestrator';
import { ScriptedGateway } from '@aegispay/orchestrator/testing';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';

export async function main(): Promise<{ first: string; retried: string; refunded: string; blocked: string }> {
  const clock = new FakeClock({ autoAdvance: true }); // virtual time: timeouts and backoff take no wall time
  const random = new SeededRandom(7);
  const ids = new SequentialIdGenerator();
  const stripe = new ScriptedGateway('STRIPE').script('FAIL'); // first charge: a 503
  const adyen = new ScriptedGateway('ADYEN');

  const repository = new InMemoryPaymentRepository({ clock });
  const metrics = new GatewayMetricsCollector({ clock });
  const registry = new HookRegistry();
  registry.registerFraudCheck(new HighValueFraudCheck(1_000_000));

  const orchestrator = new PaymentOrchestrator({
    repository,
    idempotency: new InMemoryIdempotencyStore({ clock }),
    gateways: [stripe, adyen],
    routing: new IntelligentRoutingEngine(metrics, { clock, random }),
    metrics,
    breakers: new CircuitBreakerManager({ clock }),
    hooks: new HookExecutor(registry, { clock }),
    clock,
    random,
    ids,
  });
  const recovery = new PaymentRecovery({ repository, gateways: [stripe, adyen], orchestrator, clock });
  recovery.start(); // finishes payments a crash or an unknown outcome left behind

  const request = {
    merchantId: 'merchant_42',
    amount: 4999,
    currency: 'EUR',
    paymentMethod: { type: 'CARD' as const, token: 'tok_visa_4242' },
    idempotencyKey: 'order-1001',
  };
  const first = await orchestrator.processPayment(request); // STRIPE fails, ADYEN approves
  const retried = await orchestrator.processPayment(request); // same key, same body: the stored answer
  const blocked = await orchestrator.processPayment({ ...request, amount: 5_000_000, idempotencyKey: 'order-1002' });
  await recovery.stop();
  // The result is a union: narrow on `outcome` to read what that outcome carries.
  if (first.outcome !== 'SUCCEEDED' || blocked.outcome !== 'REJECTED') throw new Error(`unexpected: ${first.reason} / ${blocked.reason}`);
  const refund = await orchestrator.refund(first.paymentId, { amount: 999, idempotencyKey: 'refund-1' });

  return {
    first: `${first.outcome} via ${first.gateway} after ${first.attempts} attempts`, // "SUCCEEDED via ADYEN after 2 attempts"
    retried: `${retried.outcome}, replayed: ${retried.replayed}`, // "SUCCEEDED, replayed: true"
    refunded: `${refund.outcome} ${refund.amount} ${refund.currency}, now ${refund.status}`, // "REFUNDED 999 EUR, now PARTIALLY_REFUNDED"
    blocked: `${blocked.outcome} ${blocked.code}`, // "REJECTED FRAUD_REJECTED"
  };
}
