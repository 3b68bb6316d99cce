import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './readme.example';

describe('README example', () => {
  it('should run and do what the README says', async () => {
    await expect(main()).resolves.toEqual({
      heard: 'UNKNOWN',
      status: 'APPROVED',
      charges: 1,
      refund: 'PENDING',
      settled: 'REFUNDED',
      webhooks: ['CHARGE APPROVED', 'REFUND REFUNDED'],
    });
  });

  it('should be the code shown in the README', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8');

    expect(readme).toContain(example.trim());
  });
});
