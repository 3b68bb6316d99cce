import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { main } from './readme.example';

describe('README', () => {
  describe('the example', () => {
    it('should run and screen each payment as the README says', async () => {
      expect(await main()).toEqual({
        tooSmall: 'invalid: MinimumAmount: The minimum is 1.00',
        first: 'allowed, risk 0',
        blockedCountry: 'refused by GeographicFraudCheck: Payments from country KP are not accepted',
        highValue: 'refused by HighValueFraudCheck: Payment amount 900000 EUR (minor units) exceeds the high-value threshold of 500000',
        second: 'allowed, risk 0',
        third: 'refused by VelocityFraudCheck: Too many payments: 3 in the last hour (limit 2)',
        notified: ['PaymentFailed: 2500 EUR', 'PaymentFailed: 900000 EUR', 'PaymentFailed: 4000 EUR'],
      });
    });

    it('should appear verbatim in README.md', () => {
      const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trim();
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

      expect(readme).toContain(example);
    });
  });
});
