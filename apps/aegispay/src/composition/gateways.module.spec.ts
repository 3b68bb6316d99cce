import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdyenWebhookVerifier } from '@aegispay/adyen';
import { startAdyenStub, type AdyenStub } from '@aegispay/adyen/testing';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { StripeWebhookVerifier } from '@aegispay/stripe';
import { startStripeStub, type StripeStub } from '@aegispay/stripe/testing';
import { problemsOf } from '../config/__fixtures__/configuration-problems';
import { loadConfig, type AppConfig } from '../config/app-config';
import { createAppContainer, type AppContainer } from './app-container';
import { TOKENS } from './tokens';

describe('the gateways of the app container', () => {
  let directory: string;
  let stripe: StripeStub;
  let adyen: AdyenStub;
  let app: AppContainer | undefined;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-gateways-'));
    stripe = await startStripeStub({ databaseFile: join(directory, 'stripe.sqlite') });
    adyen = await startAdyenStub({ databaseFile: join(directory, 'adyen.sqlite'), notificationDelivery: 'manual' });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await stripe.close();
    await adyen.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The environment of both connectors on the stubs, webhook secrets included unless `webhooks` is false. */
  function connectorsEnv(gateways: string, webhooks = true): Record<string, string> {
    return {
      AEGISPAY_PERSISTENCE: 'memory',
      AEGISPAY_ZERO_LATENCY: 'true',
      AEGISPAY_SEED: '5',
      AEGISPAY_GATEWAYS: gateways,
      AEGISPAY_STRIPE_SECRET_KEY: stripe.secretKey,
      AEGISPAY_STRIPE_API_BASE: stripe.url,
      AEGISPAY_ADYEN_API_KEY: adyen.apiKey,
      AEGISPAY_ADYEN_MERCHANT_ACCOUNT: adyen.merchantAccount,
      AEGISPAY_ADYEN_RETURN_URL: 'https://shop.example/return',
      AEGISPAY_ADYEN_BASE_URL: adyen.url,
      ...(webhooks ? { AEGISPAY_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, AEGISPAY_ADYEN_HMAC_KEY: adyen.hmacKey } : {}),
    };
  }

  async function compose(env: Record<string, string>, overrides: Partial<Record<string, unknown>> = {}): Promise<AppContainer> {
    const config: AppConfig = loadConfig({ env, overrides });
    app = await createAppContainer(config);
    return app;
  }

  describe('when AEGISPAY_GATEWAYS names the connectors beside a simulated acquirer', () => {
    it('should give the orchestrator all of them in the configured order, with a breaker each, chaos around the simulated one only', async () => {
      const composed = await compose(connectorsEnv('STRIPE_PSP,PAYPAL,ADYEN_PSP'), { chaos: { failureRate: 0.2, seed: 1 } });

      expect(composed.get(TOKENS.PaymentGateways).map((gateway) => [gateway.name, gateway.constructor.name])).toEqual([
        ['STRIPE_PSP', 'StripeGateway'],
        ['PAYPAL', 'ChaosGateway'],
        ['ADYEN_PSP', 'AdyenGateway'],
      ]);
      expect(composed.get(TOKENS.SimulatedGateways).map((gateway) => gateway.name)).toEqual(['PAYPAL']);
      expect(composed.get(TOKENS.CircuitBreakerManager).getHealthyGateways()).toEqual(expect.arrayContaining(['STRIPE_PSP', 'PAYPAL', 'ADYEN_PSP']));
    });

    it('should bind the connectors webhook verifiers by route segment', async () => {
      const composed = await compose(connectorsEnv('STRIPE_PSP,ADYEN_PSP'));
      const verifiers = composed.get(TOKENS.WebhookVerifiers);

      expect([...verifiers.keys()]).toEqual(['stripe', 'adyen']);
      expect(verifiers.get('stripe')).toBeInstanceOf(StripeWebhookVerifier);
      expect(verifiers.get('adyen')).toBeInstanceOf(AdyenWebhookVerifier);
    });

    it('should bind no verifier for a connector without its webhook secret or HMAC key', async () => {
      const composed = await compose(connectorsEnv('STRIPE_PSP,ADYEN_PSP', false));

      expect(composed.get(TOKENS.WebhookVerifiers).size).toBe(0);
    });

    it('should close the connectors when the app closes', async () => {
      const composed = await compose(connectorsEnv('STRIPE_PSP,ADYEN_PSP'));
      const closes = composed.get(TOKENS.PspConnectors).map((connector) => jest.spyOn(connector.gateway, 'close'));

      await composed.close();
      app = undefined;

      for (const close of closes) expect(close).toHaveBeenCalledTimes(1);
    });
  });

  describe('when payments carry tokens of one PSP', () => {
    it('should route each to the connector of the PSP that issued its token, and charge it there once', async () => {
      const composed = await compose(connectorsEnv('ADYEN_PSP,STRIPE_PSP'));
      const orchestrator = composed.get(TOKENS.PaymentOrchestrator);
      const tokens = ['pm_card_visa', 'shopper_7:STUB_APPROVED', 'pm_card_mastercard', 'shopper_8:STUB_APPROVED', 'pm_card_chargeDeclinedInsufficientFunds', 'shopper_9:STUB_DECLINED'];

      const results = [];
      for (const [index, token] of tokens.entries()) {
        results.push(await orchestrator.processPayment(aPaymentRequest({ idempotencyKey: `route-${index}`, paymentMethod: { type: 'CARD', token } })));
      }

      expect(results.map((result) => (result.outcome === 'IN_PROGRESS' ? 'IN_PROGRESS' : `${result.outcome} ${result.payment.attempts.map((attempt) => attempt.gateway).join(',')}`))).toEqual([
        'SUCCEEDED STRIPE_PSP',
        'SUCCEEDED ADYEN_PSP',
        'SUCCEEDED STRIPE_PSP',
        'SUCCEEDED ADYEN_PSP',
        'DECLINED STRIPE_PSP',
        'DECLINED ADYEN_PSP',
      ]);
      const attempts = results.map((result) => (result.outcome === 'IN_PROGRESS' ? '' : (result.payment.attempts[0]?.reference ?? '')));
      expect((await stripe.control.chargesFor(attempts[0] as string)).charges).toBe(1);
      expect((await adyen.control.chargeSummary(attempts[1] as string)).charges).toBe(1);
    });
  });

  describe('when a connector refuses a configured value', () => {
    it('should be a configuration error naming the variable, without the secret', async () => {
      const publishable = 'pk_test_51PublishableKeyValue0001';
      const stripeRefused = await composeProblems({ ...connectorsEnv('STRIPE_PSP'), AEGISPAY_STRIPE_SECRET_KEY: publishable });
      const adyenRefused = await composeProblems({ ...connectorsEnv('ADYEN_PSP'), AEGISPAY_ADYEN_ENVIRONMENT: 'LIVE', AEGISPAY_ADYEN_BASE_URL: '' });

      expect(stripeRefused).toEqual([expect.stringMatching(/^AEGISPAY_STRIPE_SECRET_KEY: StripeGateway: secretKey must be a Stripe secret or restricted key/)]);
      expect(stripeRefused.join('\n')).not.toContain(publishable);
      expect(adyenRefused).toEqual([expect.stringMatching(/^AEGISPAY_ADYEN_LIVE_PREFIX: AdyenGateway: liveEndpointUrlPrefix is required on LIVE/)]);
    });
  });

  /** The problems of the configuration error that composing on `env` fails with. */
  async function composeProblems(env: Record<string, string>): Promise<readonly string[]> {
    const config = loadConfig({ env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')) });
    const error: unknown = await createAppContainer(config).then(
      async (composed) => {
        await composed.close();
        return new Error('expected a configuration error');
      },
      (refused: unknown) => refused,
    );
    return problemsOf(() => {
      throw error;
    });
  }
});
