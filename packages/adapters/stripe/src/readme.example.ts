import { createServer, type Server } from 'node:http';
import { Money, SystemClock, WebhookVerificationError, type ChargeRequest, type GatewayNotification } from '@aegispay/domain';
import { createStripeConnector, type StripeWebhookVerifier } from '@aegispay/stripe';
import { startStripeStub } from '@aegispay/stripe/testing';

export async function main(databaseFile: string): Promise<Record<string, unknown>> {
  // A local Stripe: Stripe's wire protocol, its test PaymentMethods, a ledger in a SQLite file.
  const stripe = await startStripeStub({ databaseFile });
  const clock = new SystemClock();
  const { gateway } = createStripeConnector({
    secretKey: stripe.secretKey, // sk_live_… or sk_test_… against Stripe itself
    api: stripe.url, // http://127.0.0.1:<port>; leave out for https://api.stripe.com
    timeoutMs: 10_000,
    clock,
  });
  try {
    const request: ChargeRequest = {
      reference: 'pay_1:1', // Stripe's Idempotency-Key: one per payment attempt
      paymentId: 'pay_1',
      merchantId: 'merchant_42',
      amount: Money.of(15000, 'EUR'),
      paymentMethod: { type: 'CARD', token: 'pm_card_visa' }, // a PaymentMethod id from Stripe.js
      deadline: clock.now() + 10_000,
    };

    // Stripe charges the card, then its answer is lost on the way back.
    await stripe.control.injectFault({ kind: 'drop' });
    const heard = await gateway.charge(request);
    // Resolved at Stripe: replayed under the same key, the request gets the first answer.
    const status = await gateway.getStatus({ reference: request.reference, request });
    if (status.status !== 'APPROVED') throw new Error(`expected the approval, got ${status.status}`);

    const declined = await gateway.charge({ ...request, reference: 'pay_2:1', paymentId: 'pay_2', paymentMethod: { type: 'CARD', token: 'pm_card_chargeDeclinedInsufficientFunds' } });
    const refund = await gateway.refund({ reference: 'refund_1', chargeReference: status.gatewayReference, paymentId: 'pay_1', amount: Money.of(5000, 'EUR') });

    return {
      heard: heard.outcome, // "UNKNOWN": the charge may exist, so nothing is sent elsewhere
      status: status.status, // "APPROVED"
      declined: declined.outcome === 'DECLINED' ? `${declined.declineCode} ${declined.declineType}` : declined.outcome, // "insufficient_funds SOFT"
      refund: refund.outcome, // "REFUNDED"
      charges: (await stripe.control.chargesFor('pay_1:1')).charges, // 1: one charge at Stripe
    };
  } finally {
    gateway.close();
    await stripe.close();
  }
}

/** A webhook endpoint: the raw body and headers go to the verifier; a refused webhook changes nothing. */
export function webhookEndpoint(webhooks: StripeWebhookVerifier, apply: (notification: GatewayNotification) => void): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        // Apply each notification once per eventId: Stripe delivers at least once.
        for (const notification of webhooks.verify({ rawBody: Buffer.concat(chunks), headers: request.headers })) apply(notification);
        response.writeHead(200).end();
      } catch (error) {
        response.writeHead(WebhookVerificationError.is(error) ? 400 : 500).end();
      }
    });
  });
}
