import { inspect } from 'node:util';
import { InvalidOptionError } from '@aegispay/domain';
import { InvalidStripeOptionError, StripeGateway, createStripeConnector } from '../index';
import { redactSecrets } from './redact-secrets';

const SECRET = 'sk_live_51HsecretSECRETsecret0123456789';

describe('StripeGateway', () => {
  describe('constructor', () => {
    describe('when options are left out', () => {
      it("should default to Stripe's API over HTTPS, the name STRIPE and a 30 s timeout", () => {
        const gateway = new StripeGateway({ secretKey: SECRET });

        expect(gateway.name).toBe('STRIPE');
        expect(gateway.toJSON()).toEqual({ name: 'STRIPE', api: 'https://api.stripe.com:443', timeoutMs: 30_000, replayWindowMs: 20 * 3_600_000, returnUrl: null });
        gateway.close();
      });
    });

    describe('when the API base is given as a URL', () => {
      it.each([
        ['http://127.0.0.1:12111', 'http://127.0.0.1:12111'],
        ['https://api.stripe.com', 'https://api.stripe.com:443'],
        ['http://localhost/', 'http://localhost:80'],
      ])('should read %s as host, port and protocol', (url, api) => {
        const gateway = new StripeGateway({ secretKey: SECRET, api: url });

        expect(gateway.toJSON().api).toBe(api);
        gateway.close();
      });
    });

    describe('when an option is wrong', () => {
      it.each([
        ['secretKey', {}],
        ['secretKey', { secretKey: 'pk_live_123' }],
        ['api.protocol', { secretKey: SECRET, api: { protocol: 'ftp' } }],
        ['api.port', { secretKey: SECRET, api: { port: 70_000 } }],
        ['api.host', { secretKey: SECRET, api: { host: 'http://api.stripe.com' } }],
        ['api', { secretKey: SECRET, api: 'ftp://api.stripe.com' }],
        ['api', { secretKey: SECRET, api: 'https://api.stripe.com/v1' }],
        ['timeoutMs', { secretKey: SECRET, timeoutMs: 0 }],
        ['replayWindowMs', { secretKey: SECRET, replayWindowMs: 25 * 3_600_000 }],
        ['returnUrl', { secretKey: SECRET, returnUrl: 'shop/return' }],
        ['name', { secretKey: SECRET, name: ' STRIPE' }],
      ])('should refuse %s with InvalidStripeOptionError', (field, options) => {
        const build = (): StripeGateway => new StripeGateway(options as never);

        expect(build).toThrow(InvalidStripeOptionError);
        expect(build).toThrow(InvalidOptionError);
        expect(build).toThrow(expect.objectContaining({ code: 'STRIPE.INVALID_OPTION', field, owner: 'StripeGateway' }));
      });

      it('should never repeat the secret key it refuses', () => {
        const error = ((): unknown => {
          try {
            return new StripeGateway({ secretKey: 'pk_live_abcdefabcdef' });
          } catch (caught) {
            return caught;
          }
        })();

        expect(JSON.stringify(error)).not.toContain('abcdefabcdef');
        expect(String((error as Error).message)).not.toContain('abcdefabcdef');
      });
    });

    describe('when the gateway is serialised or inspected', () => {
      it('should show the configuration without the secret key', () => {
        const { gateway, webhooks } = createStripeConnector({ secretKey: SECRET, webhookSecret: 'whsec_topsecret123' });

        for (const shown of [JSON.stringify(gateway), inspect(gateway, { depth: 10, showHidden: true }), JSON.stringify(webhooks), inspect(webhooks, { depth: 10, showHidden: true })]) {
          expect(shown).not.toContain('SECRETsecret');
          expect(shown).not.toContain('topsecret123');
        }
        expect(Object.values(gateway)).not.toContain(SECRET);
        gateway.close();
      });
    });
  });
});

describe(redactSecrets, () => {
  it('should replace secret keys and webhook secrets by their prefix', () => {
    expect(redactSecrets(`key ${SECRET}, restricted rk_test_abcd1234, hook whsec_abcdef012345 and masked sk_test_****1234`)).toBe(
      'key sk_live_…, restricted rk_test_…, hook whsec_… and masked sk_test_****1234',
    );
  });
});
