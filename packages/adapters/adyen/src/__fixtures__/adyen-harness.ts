import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Money, type ChargeRequest, type GatewayNotification, type RefundRequest } from '@aegispay/domain';
import { FakeClock } from '@aegispay/domain/testing';
import { AdyenGateway, createAdyenConnector, type AdyenGatewayOptions, type AdyenWebhookVerifier } from '../index';
import { startAdyenStub, type AdyenStub, type AdyenStubOptions } from '../testing';

export interface AdyenHarness {
  readonly stub: AdyenStub;
  /** The connector's gateway; its lookups read what `webhooks()` verified. */
  readonly gateway: AdyenGateway;
  readonly verifier: AdyenWebhookVerifier;
  readonly clock: FakeClock;
  /** Verifies the webhooks the stub queued since the last call (as the app's endpoint would), in order. */
  webhooks(): Promise<GatewayNotification[]>;
  readonly folder: string;
  /** A charge of 10.00 EUR with `storedMethod` of shopper `shopper_1`. */
  charge(storedMethod: string, reference: string, overrides?: Partial<ChargeRequest>): ChargeRequest;
  refund(chargeReference: string, reference: string, minor: number): RefundRequest;
  /** Another gateway on the same stub and clock. */
  gatewayWith(overrides: Partial<AdyenGatewayOptions>): AdyenGateway;
  close(): Promise<void>;
}

/** A stub on a temporary ledger file and a gateway pointed at it, on one virtual clock. */
export async function adyenHarness(stubOptions: Partial<AdyenStubOptions> = {}, gatewayOptions: Partial<AdyenGatewayOptions> = {}): Promise<AdyenHarness> {
  const folder = mkdtempSync(join(tmpdir(), 'aegispay-adyen-'));
  const clock = new FakeClock();
  const stub = await startAdyenStub({ databaseFile: join(folder, 'ledger.sqlite'), notificationDelivery: 'manual', clock, ...stubOptions });
  const gateways: AdyenGateway[] = [];
  const gatewayWith = (overrides: Partial<AdyenGatewayOptions>): AdyenGateway => {
    const gateway = new AdyenGateway({ apiKey: stub.apiKey, merchantAccount: stub.merchantAccount, returnUrl: 'https://shop.example/return', baseUrl: stub.url, clock, ...overrides });
    gateways.push(gateway);
    return gateway;
  };
  const { gateway, webhookVerifier: verifier } = createAdyenConnector({
    apiKey: stub.apiKey,
    merchantAccount: stub.merchantAccount,
    hmacKey: stub.hmacKey,
    returnUrl: 'https://shop.example/return',
    baseUrl: stub.url,
    clock,
    ...gatewayOptions,
  });
  gateways.push(gateway);
  let seen = 0;
  return {
    stub,
    gateway,
    verifier,
    clock,
    webhooks: async () => {
      const queued = (await stub.control.notifications()).filter((record) => record.id > seen);
      seen = queued.at(-1)?.id ?? seen;
      return queued.flatMap((record) => verifier.verify({ rawBody: Buffer.from(record.body), headers: { 'content-type': 'application/json' } }));
    },
    folder,
    gatewayWith,
    charge: (storedMethod, reference, overrides = {}) => ({
      reference,
      paymentId: `pay_${reference}`,
      merchantId: 'merchant_42',
      amount: Money.of(1000, 'EUR'),
      paymentMethod: { type: 'CARD', token: storedMethod },
      customerId: 'shopper_1',
      ...overrides,
    }),
    refund: (chargeReference, reference, minor) => ({ reference, chargeReference, paymentId: 'pay_1', amount: Money.of(minor, 'EUR') }),
    close: async () => {
      for (const each of gateways) each.close();
      await stub.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Registers a fresh {@link adyenHarness} for each test of the calling `describe`; call the result to get it. */
export function useAdyenHarness(stubOptions: Partial<AdyenStubOptions> = {}, gatewayOptions: Partial<AdyenGatewayOptions> = {}): () => AdyenHarness {
  let current: AdyenHarness | undefined;
  beforeEach(async () => {
    current = await adyenHarness(stubOptions, gatewayOptions);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('the Adyen harness exists only inside a test');
    return current;
  };
}
