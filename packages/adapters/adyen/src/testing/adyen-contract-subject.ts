import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, type PaymentGatewayContractSubject } from '@aegispay/domain/testing';
import { createAdyenConnector } from '../adyen-connector';
import type { AdyenWebhookVerifier } from '../webhooks/adyen-webhook.verifier';
import { startAdyenStub } from './stub/adyen-stub';

/**
 * A fresh Adyen connector over a fresh in-process Adyen stub (its own ledger file in a temporary
 * folder), both on one virtual clock, as `paymentGatewayContract()` drives it. The stub's webhooks
 * go over HTTP to a local endpoint that verifies them with the connector's verifier (so the
 * gateway's lookups learn settled refunds); they are delivered whenever time moves (`advance`).
 * Test methods are the stub's stored cards of shopper `contract_shopper`: `STUB_APPROVED`,
 * `STUB_BLOCK_CARD` (hard), `STUB_NOT_ENOUGH_BALANCE` (soft) and `STUB_3DS2_CHALLENGE`.
 */
export async function createAdyenContractSubject(): Promise<PaymentGatewayContractSubject> {
  const folder = mkdtempSync(join(tmpdir(), 'aegispay-adyen-'));
  const clock = new FakeClock();
  const receiver: { verifier?: AdyenWebhookVerifier } = {}; // the stub needs the endpoint's URL before the connector exists
  const endpoint = await webhookEndpoint((body) => receiver.verifier?.verify({ rawBody: body, headers: { 'content-type': 'application/json' } }));
  const stub = await startAdyenStub({ databaseFile: join(folder, 'adyen-stub.sqlite'), notificationUrl: endpoint.url, notificationDelivery: 'manual', clock });
  const connector = createAdyenConnector({
    apiKey: stub.apiKey,
    merchantAccount: stub.merchantAccount,
    hmacKey: stub.hmacKey,
    returnUrl: 'https://shop.example/checkout/return',
    baseUrl: stub.url,
    clock,
  });
  receiver.verifier = connector.webhookVerifier;
  const card = (id: string): { type: 'CARD'; token: string } => ({ type: 'CARD', token: `contract_shopper:${id}` });
  return {
    gateway: connector.gateway,
    currency: 'EUR',
    methods: { approve: card('STUB_APPROVED'), hardDecline: card('STUB_BLOCK_CARD'), softDecline: card('STUB_NOT_ENOUGH_BALANCE'), requiresAction: card('STUB_3DS2_CHALLENGE') },
    faults: {
      failNextCall: () => void stub.control.inject({ kind: 'error' }),
      loseNextAnswer: () => void stub.control.inject({ kind: 'lose-answer' }),
    },
    ledger: (reference) => stub.control.chargeSummary(reference),
    advance: async (ms) => {
      await stub.control.deliverNotifications();
      await clock.advance(ms);
    },
    now: () => clock.now(),
    dispose: async () => {
      connector.gateway.close();
      await stub.close();
      await endpoint.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A local webhook endpoint: 200 when `receive` accepts the body, 401 when it throws. */
async function webhookEndpoint(receive: (body: Buffer) => unknown): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        receive(Buffer.concat(chunks));
        response.writeHead(200).end('[accepted]');
      } catch {
        response.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/adyen`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
