import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIo } from '../../cli/__fixtures__/buffer-io';
import { SeededRandom } from '@aegispay/domain/testing';
import { chaosCommand, createChaosCommand } from './chaos.command';

const EXAMPLE = join(__dirname, '..', '..', '..', 'experiments', 'gateway-resilience.json');

describe('chaosCommand', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-chaos-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function variant(changes: Record<string, unknown>): string {
    const file = join(directory, 'variant.json');
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>), ...changes }));
    return file;
  }

  describe('.run', () => {
    describe('when the shipped example runs on SQLite', () => {
      it('should pass every criterion, print the report and exit 0', async () => {
        const io = bufferIo({ AEGISPAY_DATABASE_URL: `sqlite:${join(directory, 'aegispay.sqlite')}` });

        const code = await chaosCommand.run([EXAMPLE], io);

        expect(io.err()).toBe('');
        expect(code).toBe(0);
        expect(io.out()).toContain('✅ PASSED: Gateway resilience');
        expect(io.out()).toMatch(/Success Rate: ✅ \(expected: 97%, actual: (9[7-9]|100)\.\d+%\)/);
        expect(io.out()).toContain('Invariants Held: ✅');
        expect(io.out()).toContain('Invariants: 0 payments charged twice, 0 answers disagreeing with the ledgers');
        expect(io.out()).toMatch(/Timeout phases: before \d+, after [1-9]\d*/);
      });
    });

    describe('when the steady-state hypothesis does not hold', () => {
      it('should print the failed criteria and exit 1', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory' });
        const file = variant({ name: 'Too much chaos', durationMs: 20_000, chaos: { failureRate: 0.8, timeoutRate: 0.1, timeoutMs: 3_000 }, abortCondition: undefined });

        const code = await chaosCommand.run([file], io);

        expect(code).toBe(1);
        expect(io.out()).toContain('❌ FAILED: Too much chaos');
        expect(io.out()).toMatch(/Success Rate: ❌/);
        expect(io.out()).toContain('Invariants Held: ✅');
        expect(io.out()).toMatch(/FAILED\n$/);
      });
    });

    describe('when the file has no seed', () => {
      it('should draw one and say how to replay the run', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory' });
        const file = variant({ seed: undefined, durationMs: 5_000 });

        await createChaosCommand({ random: new SeededRandom(5) }).run([file], io);

        expect(io.out()).toMatch(/seed (\d+) \(drawn: add "seed": \1 to the file to replay it\)/);
      });
    });

    describe('when the file is invalid', () => {
      it('should list every problem and exit 2 without running anything', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory' });
        const file = variant({ concurrency: -1, chaos: { failureRate: 2 } });

        const code = await chaosCommand.run([file], io);

        expect(code).toBe(2);
        expect(io.err()).toContain(`Invalid experiment file ${file}:`);
        expect(io.err()).toContain('concurrency: concurrency must be at least 1');
        expect(io.err()).toContain('chaos.failureRate:');
        expect(io.out()).toBe('');
      });
    });

    describe('when no file is named', () => {
      it('should throw a usage error', async () => {
        await expect(chaosCommand.run([], bufferIo())).rejects.toThrow('Name the experiment file: aegispay chaos <experiment.json>.');
      });
    });
  });
});
