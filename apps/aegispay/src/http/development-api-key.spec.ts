import { loadConfig } from '../config/app-config';
import { DEVELOPMENT_API_KEY, DEVELOPMENT_MERCHANT_ID, isLoopback, resolveApiKeys } from './development-api-key';

describe(resolveApiKeys, () => {
  describe('when keys are configured', () => {
    it('should use them, never the development key', () => {
      const config = loadConfig({ env: { AEGISPAY_API_KEYS: 'sk_configured_key_123=merchant_x', AEGISPAY_HOST: '0.0.0.0' } });

      const resolved = resolveApiKeys(config, { NODE_ENV: 'production' });

      expect(resolved).toEqual({ keys: new Map([['sk_configured_key_123', 'merchant_x']]), development: false });
    });
  });

  describe('when no key is configured', () => {
    it('should accept the development key on a loopback host outside production', () => {
      const resolved = resolveApiKeys(loadConfig({ env: {} }), {});

      expect(resolved).toEqual({ keys: new Map([[DEVELOPMENT_API_KEY, DEVELOPMENT_MERCHANT_ID]]), development: true });
    });

    it('should refuse in production', () => {
      expect(() => resolveApiKeys(loadConfig({ env: {} }), { NODE_ENV: 'production' })).toThrow(/NODE_ENV is production/);
    });

    it('should refuse on an address other machines can reach', () => {
      expect(() => resolveApiKeys(loadConfig({ env: { AEGISPAY_HOST: '0.0.0.0' } }), {})).toThrow(/would listen on 0\.0\.0\.0/);
    });
  });
});

describe(isLoopback, () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.1', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['127.0.0.1.example.com', false],
  ])('should say %s is loopback: %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
