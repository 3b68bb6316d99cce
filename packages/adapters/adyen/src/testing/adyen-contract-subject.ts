import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, type PaymentGatewayContractSubject } from '@aegispay/domain/testing';
import { AdyenGateway } from '../gateway/adyen.gateway';
import { startAdyenStub } from './stub/adyen-stub';

/**
 * A fresh {@link AdyenGateway} over a fresh in-process Adyen stub (its own ledger file in a
 * temporary folder), both on one virtual clock, as `paymentGatewayContract()` drives it. Test
 * methods are the stub's stored cards: `STUB_APPROVED`, `STUB_BLOCK_CARD` (hard),
 * `STUB_NOT_ENOUGH_BALANCE` (soft) and `STUB_3DS2_CHALLENGE`, all of shopper `contract_shopper`.
 */
export async function createAdyenContractSubject(): Promise<PaymentGatewayContractSubject> {
  const folder = mkdtempSync(join(tmpdir(), 'aegispay-adyen-'));
  const clock = new FakeClock();
  const stub = await startAdyenStub({ databaseFile: join(folder, 'adyen-stub.sqlite'), notificationDelivery: 'manual', clock });
  const gateway = new AdyenGateway({ apiKey: stub.apiKey, merchantAccount: stub.merchantAccount, returnUrl: 'https://shop.example/checkout/return', baseUrl: stub.url, clock });
  const card = (id: string): { type: 'CARD'; token: string } => ({ type: 'CARD', token: `contract_shopper:${id}` });
  return {
    gateway,
    currency: 'EUR',
    methods: { approve: card('STUB_APPROVED'), hardDecline: card('STUB_BLOCK_CARD'), softDecline: card('STUB_NOT_ENOUGH_BALANCE'), requiresAction: card('STUB_3DS2_CHALLENGE') },
    faults: {
      failNextCall: () => void stub.control.inject({ kind: 'error' }),
      loseNextAnswer: () => void stub.control.inject({ kind: 'lose-answer' }),
    },
    ledger: (reference) => stub.control.chargeSummary(reference),
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    dispose: async () => {
      gateway.close();
      await stub.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
