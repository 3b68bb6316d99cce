import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './readme.example';

describe('README', () => {
  describe('the example', () => {
    it('should run and route as its comments say', async () => {
      const result = await main();
      expect(result).toMatchObject({ selected: 'STRIPE', rule: 'high-value', failover: ['ADYEN', 'PAYPAL'], paypalHealth: 0.8 });
      expect(result.reason).toMatch(/^Rule "high-value" chose STRIPE/);
      expect(result.paypalP95).toBeGreaterThanOrEqual(2_000);
      expect(result.paypalP95).toBeLessThanOrEqual(2_020);
    });

    it('should be the code shown in README.md, verbatim', () => {
      const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trim();
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      expect(readme).toContain(example);
    });
  });
});
