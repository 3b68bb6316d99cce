import { Money, VirtualClock, type ChargeRequest } from '@aegispay/domain';
import { SeededRandom } from '@aegispay/domain/testing';
import { createSimulatedGateways, findDoubleCharges, totalsByGateway } from '@aegispay/gateways';

export async function main(): Promise<Record<string, unknown>> {
  const clock = new VirtualClock({ autoAdvance: true }); // virtual time: waiting costs no real time
  const gateways = createSimulatedGateways({
    clock,
    random: new SeededRandom(42), // same seed, same run
    profiles: { STRIPE: { latency: { medianMs: 400, p95Ms: 400 }, approvalRate: 1, technicalFailureRate: 0 } },
  });
  const stripe = gateways.STRIPE;
  const request: ChargeRequest = {
    reference: 'pay_1:1', // idempotency reference: one per payment attempt
    paymentId: 'pay_1',
    merchantId: 'merchant_42',
    amount: Money.of(15000, 'EUR'),
    paymentMethod: { type: 'CARD', token: 'tok_visa_4242' },
  };

  // The request arrives at 60 ms and is charged at 340 ms; the caller gives up at 350 ms.
  const timeout = new AbortController();
  clock.setTimer(350, () => timeout.abort(new Error('timed out')));
  const heard = await stripe.charge(request, timeout.signal).catch((error: Error) => error.message);

  // An unknown outcome: ask the gateway before anything else, never charge elsewhere meanwhile.
  const status = await stripe.getStatus({ reference: 'pay_1:1' });
  // Retrying the same reference returns the first result and charges nothing more.
  const retried = await stripe.charge(request);
  if (retried.outcome !== 'APPROVED') throw new Error('expected the first approval');
  await stripe.refund({ reference: 'refund_1', chargeReference: retried.gatewayReference, paymentId: 'pay_1', amount: Money.of(5000, 'EUR') });

  return {
    heard, // "timed out"
    status: status.status, // "APPROVED"
    fee: retried.fee?.toString(), // "2.50 EUR": STRIPE's EUR rate, 1.5 % + 0.25
    charges: stripe.getLedger().length, // 1
    net: totalsByGateway(gateways)['STRIPE']?.byCurrency['EUR']?.net.toString(), // "100.00 EUR"
    doubleCharges: findDoubleCharges(gateways).length, // 0
  };
}
