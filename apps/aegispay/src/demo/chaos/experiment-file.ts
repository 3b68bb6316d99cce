import { readFileSync } from 'node:fs';
import { type ChaosConfig, type ChaosScopeOptions } from '@aegispay/chaos';
import { AegisPayError } from '@aegispay/domain';
import { SIMULATED_ACQUIRERS, type SimulatedAcquirer } from '@aegispay/gateways';
import { z } from 'zod';
import { chaosConfigProblems, chaosScopeProblems, formatChaosProblem } from '../../config/chaos-settings';

const rate = (what: string): z.ZodNumber => z.number({ error: `${what} must be a number from 0 to 1` }).min(0, `${what} must be from 0 to 1`).max(1, `${what} must be from 0 to 1`);
const whole = (what: string, min: number, max: number): z.ZodNumber =>
  z
    .number({ error: `${what} must be a whole number from ${min} to ${max}` })
    .int(`${what} must be a whole number from ${min} to ${max}`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

/**
 * The schema of a chaos experiment file (JSON). Field names follow the `ChaosExperiment` of
 * `@aegispay/chaos` with explicit units; `chaos` is a `ChaosConfig`, checked by the chaos
 * package itself so that the file accepts exactly what `ChaosGateway` accepts.
 */
export const EXPERIMENT_FILE_SCHEMA = z
  .strictObject(
    {
      name: z.string({ error: 'name must be a string' }).min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
      description: z.string({ error: 'description must be a string' }).max(2_000, 'description must be at most 2 000 characters').optional(),
      seed: whole('seed', 0, 2 ** 31 - 1).optional(),
      payments: whole('payments', 1, 1_000_000).optional(),
      durationMs: whole('durationMs', 1, 86_400_000).optional(),
      concurrency: whole('concurrency', 1, 1_000).optional(),
      intervalMs: whole('intervalMs', 0, 3_600_000).optional(),
      gateways: z
        .array(z.enum(SIMULATED_ACQUIRERS, { error: `each gateway must be one of ${SIMULATED_ACQUIRERS.join(', ')}` }), { error: `gateways must be a list such as ["STRIPE", "ADYEN"]` })
        .min(1, 'gateways must name at least one gateway')
        .optional(),
      chaos: z.record(z.string(), z.unknown(), { error: 'chaos must be an object such as { "failureRate": 0.2 }' }),
      cascade: z.record(z.string(), z.unknown(), { error: 'cascade must be an object such as { "boost": 0.1, "durationMs": 2000 }' }).optional(),
      success: z.enum(['ANSWERED', 'APPROVED'], { error: 'success must be "ANSWERED" or "APPROVED"' }).optional(),
      expectedSuccessRate: rate('expectedSuccessRate').optional(),
      maxAverageLatencyMs: z.number({ error: 'maxAverageLatencyMs must be a number' }).positive('maxAverageLatencyMs must be above 0').optional(),
      maxCircuitBreakerOpens: whole('maxCircuitBreakerOpens', 0, 1_000_000).optional(),
      abortCondition: z
        .strictObject(
          { windowSize: whole('abortCondition.windowSize', 1, 1_000_000), minSuccessRate: rate('abortCondition.minSuccessRate') },
          { error: 'abortCondition must be { "windowSize": n, "minSuccessRate": 0…1 }' },
        )
        .optional(),
    },
    { error: 'the file must hold one JSON object' },
  )
  .refine((file) => file.payments !== undefined || file.durationMs !== undefined, { message: 'give payments, durationMs or both (the first reached ends the run)', path: ['payments'] })
  .refine((file) => file.payments !== undefined || (file.intervalMs ?? 100) > 0, {
    message: 'intervalMs must be above 0 when only durationMs bounds the run',
    path: ['intervalMs'],
  });

/** A chaos experiment as read from its file, every field checked. */
export interface ExperimentFile {
  readonly name: string;
  readonly description?: string;
  /** Seeds the payment stream, the gateways, routing and the chaos; drawn at random (and reported) when absent. */
  readonly seed?: number;
  /** Payments to send (the experiment's `iterations`). */
  readonly payments?: number;
  /** How long to keep starting payments, ms of virtual time (the experiment's `duration`). */
  readonly durationMs?: number;
  /** Payments in flight at once. Defaults to 1. */
  readonly concurrency?: number;
  /** Virtual ms between two starts of one worker. Defaults to 100 with `durationMs`, else 0. */
  readonly intervalMs?: number;
  /** The simulated gateways to run. Defaults to the configured ones (all four). */
  readonly gateways?: readonly SimulatedAcquirer[];
  /** The chaos around every gateway: a `ChaosConfig`. */
  readonly chaos: ChaosConfig;
  /** How failures spread between gateways: `ChaosScopeOptions` (`boost`, `durationMs`, `links`). Defaults to the scope's defaults (0.3 for 10 s, all linked). */
  readonly cascade?: ChaosScopeOptions;
  /** What counts as a success: `ANSWERED` (approved or declined by an issuer; the default) or `APPROVED`. */
  readonly success?: 'ANSWERED' | 'APPROVED';
  readonly expectedSuccessRate?: number;
  readonly maxAverageLatencyMs?: number;
  readonly maxCircuitBreakerOpens?: number;
  readonly abortCondition?: { readonly windowSize: number; readonly minSuccessRate: number };
}

/** The experiment file could not be read or is invalid (`CLI.INVALID_EXPERIMENT`); `problems` lists every one. */
export class ExperimentFileError extends AegisPayError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super('CLI.INVALID_EXPERIMENT', `Invalid experiment file ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, { details: { file, problems } });
  }
}

/**
 * Reads and checks an experiment file.
 *
 * @throws ExperimentFileError listing every problem, each with the field it concerns.
 */
export function readExperimentFile(file: string): ExperimentFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExperimentFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExperimentFileError(file, [`is not valid JSON (${(error as Error).message})`]);
  }
  return parseExperiment(file, json);
}

/**
 * Checks an experiment given as parsed JSON.
 *
 * @throws ExperimentFileError listing every problem.
 */
export function parseExperiment(file: string, json: unknown): ExperimentFile {
  const parsed = EXPERIMENT_FILE_SCHEMA.safeParse(json);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
      if (issue.code === 'unrecognized_keys') problems.push(`${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`);
      else problems.push(`${where}${issue.message}`);
    }
  }
  // Unknown fields inside chaos and cascade too: ChaosGateway and ChaosScope ignore them, so a
  // typo ("failurerate") would run an experiment without the chaos it describes, and pass.
  const chaos = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['chaos'] : undefined;
  if (typeof chaos === 'object' && chaos !== null && !Array.isArray(chaos)) {
    problems.push(...chaosConfigProblems(chaos as Record<string, unknown>).map((problem) => formatChaosProblem(problem, 'chaos')));
  }
  const cascade = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['cascade'] : undefined;
  if (typeof cascade === 'object' && cascade !== null && !Array.isArray(cascade)) {
    problems.push(...chaosScopeProblems(cascade as Record<string, unknown>).map((problem) => formatChaosProblem(problem, 'cascade')));
  }
  if (problems.length > 0 || !parsed.success) throw new ExperimentFileError(file, problems);
  return parsed.data as ExperimentFile;
}
