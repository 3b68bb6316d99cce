import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './readme.example';

describe('README example', () => {
  describe('main', () => {
    it('should give up on STRIPE, then fail fast, and leave ADYEN as the healthy gateway', async () => {
      await expect(main()).resolves.toEqual({
        first: 'gave up after 3 attempts',
        second: 'failed fast, retry in 60000 ms',
        healthy: ['ADYEN'],
        opens: ['STRIPE opened: FAILURE_THRESHOLD'],
      });
    });
  });

  describe('README.md', () => {
    it('should contain the example verbatim', () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trim();
      expect(readme).toContain(example);
    });
  });
});
