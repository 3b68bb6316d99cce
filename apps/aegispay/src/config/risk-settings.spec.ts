import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCurrencies } from '@aegispay/domain';
import { problemsOf } from './__fixtures__/configuration-problems';
import { loadConfig } from './app-config';
import { DEFAULT_MAX_AMOUNTS, TIERED_CURRENCIES } from './default-max-amounts';

describe('the risk settings', () => {
  describe('when nothing is set', () => {
    it('should give a maximum for every currency, and 20 payments per customer and per token in 10 minutes', () => {
      const { risk } = loadConfig({ env: {} });

      expect([risk.maxAmounts.get('EUR'), risk.maxAmounts.get('JPY'), risk.maxAmounts.get('KWD'), risk.maxAmounts.get('IDR')]).toEqual([
        100_000_000, // 1 000 000.00 EUR
        1_000_000_000, // 1 000 000 000 JPY
        1_000_000_000, // 1 000 000.000 KWD
        10_000_000_000_000, // 100 000 000 000.00 IDR
      ]);
      expect(risk.merchantMaxAmounts.size).toBe(0);
      expect(risk.customerVelocity).toEqual({ limit: 20, windowMs: 600_000 });
      expect(risk.tokenVelocity).toEqual({ limit: 20, windowMs: 600_000 });
    });
  });

  describe('when AEGISPAY_MAX_AMOUNTS and the velocity limits are set', () => {
    it('should put currency maximums over the defaults, merchant maximums beside them, and switch a limit of 0 off', () => {
      const { risk } = loadConfig({
        env: {
          AEGISPAY_MAX_AMOUNTS: 'JPY=5000000, merchant_a/EUR=250000,merchant.b:eu/EUR=9007199254740991',
          AEGISPAY_CUSTOMER_VELOCITY_LIMIT: '5',
          AEGISPAY_CUSTOMER_VELOCITY_WINDOW_MS: '3600000',
          AEGISPAY_TOKEN_VELOCITY_LIMIT: '0',
        },
      });

      expect(risk.maxAmounts.get('JPY')).toBe(5_000_000);
      expect(risk.maxAmounts.get('EUR')).toBe(100_000_000);
      expect([...risk.merchantMaxAmounts].map(([merchant, limits]) => [merchant, [...limits]])).toEqual([
        ['merchant_a', [['EUR', 250_000]]],
        ['merchant.b:eu', [['EUR', 9_007_199_254_740_991]]],
      ]);
      expect(risk.customerVelocity).toEqual({ limit: 5, windowMs: 3_600_000 });
      expect(risk.tokenVelocity).toBeNull();
    });

    it('should read an object of maximums from a configuration file', () => {
      const directory = mkdtempSync(join(tmpdir(), 'aegispay-risk-'));
      try {
        const file = join(directory, 'aegispay.json');
        writeFileSync(file, JSON.stringify({ maxAmounts: { USD: 500_000, 'merchant_a/USD': '900000' } }));

        const { risk } = loadConfig({ env: {}, file });

        expect(risk.maxAmounts.get('USD')).toBe(500_000);
        expect(risk.merchantMaxAmounts.get('merchant_a')?.get('USD')).toBe(900_000);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });

  describe('when values are invalid', () => {
    it('should name each bad entry and say what an entry is', () => {
      const problems = problemsOf(() =>
        loadConfig({
          env: {
            AEGISPAY_MAX_AMOUNTS: 'jpy=5000,EUR=12.5,XYZ=10,merchant a/EUR=10,EUR,USD=0,GBP=1,GBP=2',
            AEGISPAY_CUSTOMER_VELOCITY_LIMIT: '-1',
            AEGISPAY_TOKEN_VELOCITY_WINDOW_MS: '999',
          },
        }),
      );

      expect(problems).toEqual([
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "jpy": "jpy" is not an ISO 4217 currency code in capitals \(entries are CUR=amount or merchant\/CUR=amount\) \(got "jpy=5000,/),
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "EUR": the maximum must be a whole number of minor units from 1 to 9007199254740991 /),
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "XYZ": "XYZ" is not an ISO 4217 currency code/),
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "merchant a\/EUR": the merchant id must be 1–64 letters, digits or _ \. : -/),
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "EUR": the maximum must be a whole number/),
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "USD": the maximum must be a whole number/),
        expect.stringMatching(/^AEGISPAY_MAX_AMOUNTS: "GBP" is given twice/),
        expect.stringMatching(/^AEGISPAY_CUSTOMER_VELOCITY_LIMIT: must be at least 0/),
        expect.stringMatching(/^AEGISPAY_TOKEN_VELOCITY_WINDOW_MS: must be at least 1000/),
      ]);
    });
  });
});

describe('DEFAULT_MAX_AMOUNTS', () => {
  it('should hold every currency a payment can be made in, as a whole number of minor units AegisPay can store', () => {
    expect([...DEFAULT_MAX_AMOUNTS.keys()]).toEqual(listCurrencies().map((currency) => currency.code));
    for (const amount of DEFAULT_MAX_AMOUNTS.values()) expect(Number.isSafeInteger(amount) && amount >= 1_000_000).toBe(true);
  });

  it('should name only currencies AegisPay accepts in its tiers, each once', () => {
    const codes = new Set(listCurrencies().map((currency) => currency.code));

    expect(TIERED_CURRENCIES.filter((code) => !codes.has(code))).toEqual([]);
    expect(new Set(TIERED_CURRENCIES).size).toBe(TIERED_CURRENCIES.length);
  });
});
