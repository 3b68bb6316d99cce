import { join } from 'node:path';
import { startAdyenStubProcess, type AdyenStubProcess } from '@aegispay/adyen/testing';
import { startStripeStubProcess, type StripeStubProcess } from '@aegispay/stripe/testing';
import { adyenCharges, stripeCharges, type GatewayCharge } from './gateway-charges';

/** The return URL the Adyen connector sends when it talks to the stub (Adyen requires one; the stub never redirects to it). */
export const STUB_RETURN_URL = 'https://shop.example/checkout/return';

/** Options of {@link startPspStubs}. */
export interface PspStubsOptions {
  /** Where the stubs keep their durable ledgers (`stripe-stub.sqlite`, `adyen-stub.sqlite`). */
  readonly directory: string;
  /**
   * The base URL of the AegisPay server whose `POST /v1/psp-webhooks/stripe|adyen` receive the
   * stubs' signed webhooks. Without it the stubs send none (Adyen's are queued, Stripe's not made).
   */
  readonly webhooksTo?: string;
  /** Ports to listen on, to restart a stub at its former URL. Defaults to free ports. */
  readonly ports?: { readonly stripe?: number; readonly adyen?: number };
}

/** The Stripe and Adyen stubs, each its own process on its own durable ledger. */
export interface PspStubs {
  readonly stripe: StripeStubProcess;
  readonly adyen: AdyenStubProcess;
  /** The AegisPay settings (environment variables) that point `STRIPE_PSP` and `ADYEN_PSP` at these stubs, webhook secrets included. */
  settings(): Record<string, string>;
  /** Every charge in both durable ledgers. */
  charges(): Promise<GatewayCharge[]>;
  /** Stops both (SIGTERM), waiting for them to exit. */
  stop(): Promise<void>;
}

/** Starts the Stripe and Adyen stubs as processes (`aegispay-stripe-stub`, `aegispay-adyen-stub`) and resolves once both listen. */
export async function startPspStubs(options: PspStubsOptions): Promise<PspStubs> {
  const webhooks = options.webhooksTo;
  const stripe = await startStripeStubProcess({
    databaseFile: join(options.directory, 'stripe-stub.sqlite'),
    ...(options.ports?.stripe === undefined ? {} : { port: options.ports.stripe }),
    ...(webhooks === undefined ? {} : { webhook: { url: `${webhooks}/v1/psp-webhooks/stripe` } }),
  });
  let adyen: AdyenStubProcess;
  try {
    adyen = await startAdyenStubProcess({
      databaseFile: join(options.directory, 'adyen-stub.sqlite'),
      ...(options.ports?.adyen === undefined ? {} : { port: options.ports.adyen }),
      ...(webhooks === undefined ? { notificationDelivery: 'manual' as const } : { notificationUrl: `${webhooks}/v1/psp-webhooks/adyen` }),
    });
  } catch (error) {
    await stripe.stop();
    throw error;
  }
  return {
    stripe,
    adyen,
    settings: () => ({
      AEGISPAY_STRIPE_SECRET_KEY: stripe.secretKey,
      AEGISPAY_STRIPE_API_BASE: stripe.url,
      AEGISPAY_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      AEGISPAY_ADYEN_API_KEY: adyen.apiKey,
      AEGISPAY_ADYEN_MERCHANT_ACCOUNT: adyen.merchantAccount,
      AEGISPAY_ADYEN_RETURN_URL: STUB_RETURN_URL,
      AEGISPAY_ADYEN_BASE_URL: adyen.url,
      AEGISPAY_ADYEN_HMAC_KEY: adyen.hmacKey,
    }),
    charges: async () => [...(await stripeCharges(stripe.control)), ...(await adyenCharges(adyen.control))],
    stop: async () => {
      await Promise.all([stripe.stop(), adyen.stop()]);
    },
  };
}
