import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '@aegispay/domain';
import type { PaymentGatewayContractSubject } from '@aegispay/domain/testing';
import { StripeGateway } from '../gateway/stripe-gateway';
import type { StripeGatewayOptions } from '../gateway/stripe-gateway.options';
import { startStripeStub } from './stub/stripe-stub';

/** Options of {@link createStripeContractSubject}. */
export interface StripeContractSubjectOptions {
  /** Options of the gateway under test, besides the secret key and API base (which point at the stub). */
  readonly gateway?: Omit<StripeGatewayOptions, 'secretKey' | 'api' | 'clock'>;
}

/**
 * A `PaymentGatewayContractSubject` for `paymentGatewayContract()`: a {@link StripeGateway} over a
 * fresh in-process Stripe stub (its own SQLite file in a temporary folder), both on real time.
 *
 * - methods: `pm_card_visa` (approved), `pm_card_chargeDeclinedStolenCard` (HARD),
 *   `pm_card_chargeDeclinedInsufficientFunds` (SOFT), `pm_card_threeDSecure2Required` (3-D Secure);
 * - `failNextCall`: a 503 at Stripe's front door (not carried out, not saved under the key);
 * - `loseNextAnswer`: the call is carried out and committed, then the answer is cut mid-body;
 * - `ledger`: the stub's captured PaymentIntents created under the reference, and their refunds;
 * - no `advance`: the stub cannot make Stripe refuse a late request, so the deadline cases do not apply.
 */
export async function createStripeContractSubject(options: StripeContractSubjectOptions = {}): Promise<PaymentGatewayContractSubject> {
  const folder = mkdtempSync(join(tmpdir(), 'aegispay-stripe-contract-'));
  const clock = new SystemClock();
  const stub = await startStripeStub({ databaseFile: join(folder, 'ledger.sqlite'), clock });
  const gateway = new StripeGateway({ ...options.gateway, secretKey: stub.secretKey, api: { host: stub.host, port: stub.port, protocol: 'http' }, clock });
  return {
    gateway,
    currency: 'EUR',
    methods: {
      approve: { type: 'CARD', token: 'pm_card_visa' },
      hardDecline: { type: 'CARD', token: 'pm_card_chargeDeclinedStolenCard' },
      softDecline: { type: 'CARD', token: 'pm_card_chargeDeclinedInsufficientFunds' },
      requiresAction: { type: 'CARD', token: 'pm_card_threeDSecure2Required' },
    },
    faults: {
      // The in-process control applies a fault before its promise settles: nothing to await.
      failNextCall: () => void stub.control.injectFault({ kind: 'error', status: 503 }),
      loseNextAnswer: () => void stub.control.injectFault({ kind: 'drop', mode: 'truncate' }),
    },
    ledger: async (reference) => {
      const { charges, refunded } = await stub.control.chargesFor(reference);
      return { charges, refundedMinor: refunded };
    },
    now: () => clock.now(),
    dispose: async () => {
      gateway.close();
      await stub.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
