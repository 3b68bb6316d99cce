import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentFileError, parseExperiment, readExperimentFile } from './experiment-file';

const EXAMPLE = join(__dirname, '..', '..', '..', 'experiments', 'gateway-resilience.json');

function problemsOf(json: unknown): readonly string[] {
  try {
    parseExperiment('x.json', json);
  } catch (error) {
    if (ExperimentFileError.is(error)) return error.problems;
    throw error;
  }
  return [];
}

describe(readExperimentFile, () => {
  describe('when the file is the shipped example', () => {
    it('should read it with every field checked', () => {
      const experiment = readExperimentFile(EXAMPLE);

      expect(experiment).toMatchObject({ name: 'Gateway resilience', seed: 42, durationMs: 60_000, concurrency: 8, expectedSuccessRate: 0.97 });
      expect(experiment.chaos.failureRate).toBe(0.2);
    });
  });

  describe('when the file cannot be used', () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'aegispay-experiment-'));
    });
    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('should say the file is missing', () => {
      expect(() => readExperimentFile(join(directory, 'none.json'))).toThrow('cannot be read (ENOENT)');
    });

    it('should say the file is not JSON', () => {
      const file = join(directory, 'bad.json');
      writeFileSync(file, '{ "name": ');

      expect(() => readExperimentFile(file)).toThrow(/is not valid JSON/);
    });
  });
});

describe(parseExperiment, () => {
  const valid = { name: 'x', payments: 10, chaos: { failureRate: 0.1 } };

  describe('when the experiment is valid', () => {
    it('should accept the minimum: a name, a bound and a chaos config', () => {
      expect(problemsOf(valid)).toEqual([]);
    });
  });

  describe('when fields are wrong', () => {
    it('should list every problem with its field', () => {
      const problems = problemsOf({ name: '', payments: 2.5, concurrency: 0, expectedSuccessRate: 1.5, chaos: { failureRate: 0.1 }, extra: true });

      expect(problems).toEqual(
        expect.arrayContaining([
          'name: name must not be empty',
          'payments: payments must be a whole number from 1 to 1000000',
          'concurrency: concurrency must be at least 1',
          'expectedSuccessRate: expectedSuccessRate must be from 0 to 1',
          'unknown field "extra"',
        ]),
      );
    });

    it('should require payments or durationMs', () => {
      expect(problemsOf({ name: 'x', chaos: {} })).toEqual(['payments: give payments, durationMs or both (the first reached ends the run)']);
    });

    it('should require pacing when only a duration bounds the run', () => {
      expect(problemsOf({ name: 'x', durationMs: 1000, intervalMs: 0, chaos: {} })).toEqual(['intervalMs: intervalMs must be above 0 when only durationMs bounds the run']);
    });

    it('should check the chaos config with the chaos package itself, naming the field', () => {
      expect(problemsOf({ ...valid, chaos: { failureRate: 0.7, timeoutRate: 0.5 } })).toEqual([expect.stringMatching(/^chaos\.failureRate: /)]);
      expect(problemsOf({ ...valid, chaos: { enabled: 'false' } })).toEqual(['chaos.enabled: must be true or false (got "false").']);
    });

    it('should check the cascade options, naming the field', () => {
      expect(problemsOf({ ...valid, cascade: { boost: 2 } })).toEqual(['cascade.boost: must be in (0, 1], got 2.']);
    });

    it('should refuse unknown fields inside chaos and cascade, which would silently run without them', () => {
      expect(problemsOf({ ...valid, chaos: { failurerate: 0.9, latencyMs: { min: 1, mx: 5 } }, cascade: { boost: 0.1, duraton: 2000 } })).toEqual([
        expect.stringMatching(/^chaos: unknown field "failurerate" \(known: enabled, failureRate, /),
        'chaos.latencyMs: unknown field "mx" (known: min, max)',
        'cascade: unknown field "duraton" (known: boost, durationMs, links)',
      ]);
    });

    it('should refuse an unknown gateway and a malformed abort condition', () => {
      expect(problemsOf({ ...valid, gateways: ['STRIPE', 'VISA'], abortCondition: { windowSize: 10 } })).toEqual(
        expect.arrayContaining(['gateways.1: each gateway must be one of STRIPE, PAYPAL, SQUARE, ADYEN', expect.stringMatching(/^abortCondition\.minSuccessRate: /)]),
      );
    });

    it('should refuse something that is not an object', () => {
      expect(problemsOf([1, 2])).toEqual(['the file must hold one JSON object']);
    });
  });
});
