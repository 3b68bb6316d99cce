import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './readme.example';

describe('README example', () => {
  it('should run and do what the README says', async () => {
    await expect(main()).resolves.toEqual({
      first: 'SUCCEEDED via ADYEN after 2 attempts',
      retried: 'SUCCEEDED, replayed: true',
      refunded: 'REFUNDED 999 EUR, now PARTIALLY_REFUNDED',
      blocked: 'REJECTED FRAUD_REJECTED',
    });
  });

  it('should be the code shown in the README', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8');

    expect(readme).toContain(example.trim());
  });
});
