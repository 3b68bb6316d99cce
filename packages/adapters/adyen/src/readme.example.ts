import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Money, type ChargeRequest } from '@aegispay/domain';
import { createAdyenConnector } from '@aegispay/adyen';
import { startAdyenStub } from '@aegispay/adyen/testing';

export async function main(): Promise<Record<string, unknown>> {
  // A local Adyen (the stub, on its own ledger file). Against Adyen, leave baseUrl out.
  const stub = await startAdyenStub({ databaseFile: join(mkdtempSync(join(tmpdir(), 'adyen-')), 'ledger.sqlite'), notificationDelivery: 'manual' });
  const { gateway, webhookVerifier } = createAdyenConnector({
    apiKey: stub.apiKey,
    merchantAccount: stub.merchantAccount,
    hmacKey: stub.hmacKey,
    returnUrl: 'https://shop.example/checkout/return',
    baseUrl: stub.url,
  });
  const request: ChargeRequest = {
    reference: 'pay_1:1', // Adyen's reference and the Idempotency-Key: one per payment attempt
    paymentId: 'pay_1',
    merchantId: 'merchant_42',
    amount: Money.of(15000, 'EUR'),
    paymentMethod: { type: 'CARD', token: 'shopper_7:STUB_APPROVED' }, // "<shopperReference>:<storedPaymentMethodId>"
  };

  await stub.control.inject({ kind: 'lose-answer' }); // Adyen authorises, the answer never arrives
  const heard = await gateway.charge(request); // UNKNOWN: never charge elsewhere now
  const status = await gateway.getStatus({ reference: request.reference, request }); // replayed: the first payment's answer
  if (status.status !== 'APPROVED') throw new Error('expected the authorisation');
  const refund = await gateway.refund({ reference: 'refund_1', chargeReference: status.gatewayReference, paymentId: 'pay_1', amount: Money.of(5000, 'EUR') });

  // Adyen's webhooks, as POST /v1/psp-webhooks/adyen would receive them; the gateway learns from them too.
  const webhooks = (await stub.control.notifications()).flatMap((queued) => webhookVerifier.verify({ rawBody: Buffer.from(queued.body), headers: {} }));
  const settled = await gateway.getRefundStatus({ reference: 'refund_1' });
  const { charges } = await stub.control.chargeSummary('pay_1:1');
  gateway.close();
  await stub.close();
  return {
    heard: heard.outcome, // "UNKNOWN"
    status: status.status, // "APPROVED"
    charges, // 1
    refund: refund.outcome, // "PENDING": Adyen answers "received"
    settled: settled.status, // "REFUNDED": the REFUND webhook said so
    webhooks: webhooks.map((webhook) => `${webhook.type} ${webhook.status.status}`), // ["CHARGE APPROVED", "REFUND REFUNDED"]
  };
}
