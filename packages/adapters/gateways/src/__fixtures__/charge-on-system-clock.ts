// Run as a separate process by simulated-gateway.int.spec.ts: one charge on the real clock, printed when answered.
import { Money } from '@aegispay/domain';
import { SimulatedGateway } from '../gateway/simulated-gateway';

const gateway = new SimulatedGateway({ name: 'REAL_TIME', latency: { medianMs: 40, p95Ms: 40 } });
void gateway
  .charge({ reference: 'r1', paymentId: 'p1', merchantId: 'm1', amount: Money.of(100, 'EUR'), paymentMethod: { type: 'CARD', token: 'tok_1' } })
  .then((result) => process.stdout.write(`${result.outcome}\n`));
