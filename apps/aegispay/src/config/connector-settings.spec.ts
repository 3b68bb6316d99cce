import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { problemsOf } from './__fixtures__/configuration-problems';
import { loadConfig } from './app-config';
import { DEFAULT_TOKEN_PATTERNS } from './connector-settings';
import { Secret } from './secret';

const STRIPE_KEY = 'sk_test_51SecretStripeKeyValue0001';
const STRIPE_WEBHOOK = 'whsec_SecretSigningValue0002';
const ADYEN_KEY = 'AQEyhmfxSecretAdyenApiKey0003';
const ADYEN_HMAC = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const SECRETS = [STRIPE_KEY, STRIPE_WEBHOOK, ADYEN_KEY, ADYEN_HMAC];

/** Both connectors configured through the environment, as an operator would. */
const BOTH = {
  AEGISPAY_GATEWAYS: 'stripe_psp,ADYEN_PSP,PAYPAL',
  AEGISPAY_STRIPE_SECRET_KEY: STRIPE_KEY,
  AEGISPAY_STRIPE_API_BASE: 'http://127.0.0.1:12111',
  AEGISPAY_STRIPE_TIMEOUT_MS: '4000',
  AEGISPAY_STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK,
  AEGISPAY_STRIPE_WEBHOOK_TOLERANCE_S: '120',
  AEGISPAY_ADYEN_API_KEY: ADYEN_KEY,
  AEGISPAY_ADYEN_MERCHANT_ACCOUNT: 'AegisPayECOM',
  AEGISPAY_ADYEN_RETURN_URL: 'https://shop.example/return',
  AEGISPAY_ADYEN_BASE_URL: 'http://127.0.0.1:8090',
  AEGISPAY_ADYEN_HMAC_KEY: ADYEN_HMAC,
} as const;

describe('the connector settings of loadConfig', () => {
  describe('when AEGISPAY_GATEWAYS names STRIPE_PSP and ADYEN_PSP with their settings', () => {
    it('should run them beside the simulated acquirers named, with their settings and the default token patterns', () => {
      const config = loadConfig({ env: BOTH });

      expect(config.gateways).toEqual(['STRIPE_PSP', 'ADYEN_PSP', 'PAYPAL']);
      expect(config.stripe).toMatchObject({ apiBase: 'http://127.0.0.1:12111', timeoutMs: 4000, webhookToleranceSeconds: 120, tokenPattern: DEFAULT_TOKEN_PATTERNS.stripe });
      expect(config.adyen).toMatchObject({ merchantAccount: 'AegisPayECOM', returnUrl: 'https://shop.example/return', baseUrl: 'http://127.0.0.1:8090' });
      expect(config.stripe.secretKey?.reveal()).toBe(STRIPE_KEY);
      expect(config.adyen.hmacKey?.reveal()).toBe(ADYEN_HMAC);
    });

    it('should keep every secret out of a JSON dump, util.inspect and string conversion of the configuration', () => {
      const config = loadConfig({ env: BOTH });
      const dumps = [JSON.stringify(config), inspect(config, { depth: 10 }), `${String(config.stripe.secretKey)} ${String(config.adyen.apiKey)}`];

      for (const dump of dumps) for (const secret of SECRETS) expect(dump).not.toContain(secret);
      expect(JSON.stringify(config.stripe)).toContain('"secretKey":"[secret]"');
      expect(config.adyen.apiKey).toBeInstanceOf(Secret);
    });
  });

  describe('when a connector is named without its required settings', () => {
    it('should name every missing variable, and what names the connector', () => {
      const problems = problemsOf(() => loadConfig({ env: { AEGISPAY_GATEWAYS: 'STRIPE_PSP,ADYEN_PSP', AEGISPAY_ADYEN_MERCHANT_ACCOUNT: 'AegisPayECOM' } }));

      expect(problems).toEqual([
        expect.stringMatching(/^AEGISPAY_STRIPE_SECRET_KEY: is required: AEGISPAY_GATEWAYS names STRIPE_PSP \(or set "stripe": \{ "secretKey": … \}/),
        expect.stringMatching(/^AEGISPAY_ADYEN_API_KEY: is required: AEGISPAY_GATEWAYS names ADYEN_PSP/),
        expect.stringMatching(/^AEGISPAY_ADYEN_RETURN_URL: is required: AEGISPAY_GATEWAYS names ADYEN_PSP/),
      ]);
    });

    it('should not ask for the settings of a connector that is not named', () => {
      expect(loadConfig({ env: { AEGISPAY_STRIPE_TIMEOUT_MS: '1000' } }).gateways).toEqual(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN']);
    });
  });

  describe('when settings are invalid', () => {
    it('should report each with its source, echoing values but never a secret', () => {
      const problems = problemsOf(() =>
        loadConfig({
          env: {
            ...BOTH,
            AEGISPAY_STRIPE_SECRET_KEY: '   ',
            AEGISPAY_STRIPE_API_BASE: 'ftp://files.example',
            AEGISPAY_STRIPE_TOKEN_PATTERN: '^(pm_',
            AEGISPAY_ADYEN_ENVIRONMENT: 'PROD',
            AEGISPAY_ADYEN_HMAC_KEY: '',
            AEGISPAY_ADYEN_TIMEOUT_MS: '50',
          },
        }),
      );

      expect(problems).toEqual([
        'AEGISPAY_STRIPE_SECRET_KEY: must not be empty',
        'AEGISPAY_STRIPE_API_BASE: must be an http:// or https:// URL (got "ftp://files.example")',
        'AEGISPAY_STRIPE_TOKEN_PATTERN: must be a regular expression (JavaScript syntax), such as ^pm_ (got "^(pm_")',
        'AEGISPAY_ADYEN_ENVIRONMENT: must be TEST or LIVE (got "PROD")',
        'AEGISPAY_ADYEN_HMAC_KEY: must not be empty',
        'AEGISPAY_ADYEN_TIMEOUT_MS: must be at least 100 (got "50")',
      ]);
    });

    it('should refuse a secret that is not a string without echoing it', () => {
      const problems = problemsOf(() => loadConfig({ env: {}, overrides: { gateways: 'STRIPE_PSP', stripe: { secretKey: 4242424242 } } }));

      expect(problems).toEqual(['option stripe.secretKey: must be a string']);
    });
  });

  describe('with a configuration file', () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'aegispay-connectors-'));
    });
    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('should read one object per connector, an environment variable overriding one of its keys', () => {
      const file = join(directory, 'aegispay.json');
      writeFileSync(
        file,
        JSON.stringify({ gateways: ['STRIPE_PSP', 'ADYEN_PSP'], stripe: { secretKey: STRIPE_KEY, tokenPattern: '^pm_' }, adyen: { apiKey: ADYEN_KEY, merchantAccount: 'FromFile', returnUrl: 'https://shop.example/r' } }),
      );

      const config = loadConfig({ env: { AEGISPAY_ADYEN_MERCHANT_ACCOUNT: 'FromEnv' }, file });

      expect(config.stripe.secretKey?.reveal()).toBe(STRIPE_KEY);
      expect(config.stripe.tokenPattern).toEqual(/^pm_/);
      expect(config.adyen.merchantAccount).toBe('FromEnv');
      expect(config.adyen.tokenPattern).toBe(DEFAULT_TOKEN_PATTERNS.adyen);
    });

    it('should refuse unknown keys of a connector, and a connector that is not an object, without echoing it', () => {
      const file = join(directory, 'aegispay.json');
      writeFileSync(file, JSON.stringify({ stripe: { secretkey: STRIPE_KEY }, adyen: `apiKey=${ADYEN_KEY}` }));

      const problems = problemsOf(() => loadConfig({ env: {}, file }));

      expect(problems).toEqual([
        expect.stringMatching(/aegispay\.json → stripe: unknown setting "secretkey" \(known: secretKey, apiBase, /),
        expect.stringMatching(/aegispay\.json → adyen: must be an object of adyen settings \(apiKey, merchantAccount, /),
      ]);
      for (const secret of SECRETS) expect(problems.join('\n')).not.toContain(secret);
    });
  });

  describe('the orchestrator settings', () => {
    it('should default to the orchestrator defaults and read their variables', () => {
      expect(loadConfig({ env: {} }).orchestrator).toEqual({ gatewayTimeoutMs: 10_000, maxAttempts: 3, statusCheckTimeoutMs: 5_000, clockSkewMs: 2_000 });
      expect(
        loadConfig({ env: { AEGISPAY_GATEWAY_TIMEOUT_MS: '1500', AEGISPAY_MAX_ATTEMPTS: '2', AEGISPAY_STATUS_CHECK_TIMEOUT_MS: '800', AEGISPAY_CLOCK_SKEW_MS: '0' } }).orchestrator,
      ).toEqual({ gatewayTimeoutMs: 1_500, maxAttempts: 2, statusCheckTimeoutMs: 800, clockSkewMs: 0 });
    });
  });
});
