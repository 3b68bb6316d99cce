import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './readme.example';

describe('README', () => {
  describe('the example', () => {
    it('should run a 60-second experiment on virtual time and pass it', async () => {
      const { result, report, stats } = await main();
      expect(result).toMatchObject({ success: true, aborted: false, invariantsHeld: true, seed: 42, totalRequests: 355 });
      expect(result.durationMs).toBeGreaterThanOrEqual(60_000);
      expect(stats.timeoutPhases).toEqual({ before: 0, after: 35, afterApproved: 35 });
      expect(report).toContain('✅ PASSED: Gateway Resilience Test');
      expect(report).toContain('  Total Requests: 355\n  Successful: 195 (54.93%)');
    });
  });

  describe('README.md', () => {
    it('should contain the example code verbatim', () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      const example = readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trimEnd();
      expect(readme).toContain(example);
    });
  });
});
