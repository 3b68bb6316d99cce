import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './readme.example';

describe('README', () => {
  describe('the example', () => {
    it('should run and return what the README says', async () => {
      expect(await main()).toEqual({
        claim: 'STARTED',
        payment: 'PAID v2',
        published: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded'],
        retry: { status: 'COMPLETED', response: { paymentId: expect.stringMatching(/^pay_/), status: 'PAID' } },
      });
    });

    it('should appear verbatim in README.md', () => {
      const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trim();
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

      expect(readme).toContain(example);
    });
  });
});
