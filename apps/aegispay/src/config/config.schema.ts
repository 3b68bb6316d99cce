import { SIMULATED_ACQUIRERS } from '@aegispay/gateways';
import { z } from 'zod';
import { chaosConfigProblems, formatChaosProblem } from './chaos-settings';
import { natsSettings } from './nats-settings';

/** The levels of the app's logger, most severe first (`silent` logs nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const DECIMAL_INTEGER = /^\s*-?\d+\s*$/;

/**
 * A whole number from a JSON number or a string of decimal digits. Not `z.coerce.number()`: it
 * turns an empty variable, `null` or `false` into 0 (AEGISPAY_PORT= would listen on a random
 * port, AEGISPAY_SEED= would seed with 0), `true` into 1 and `[8080]` into 8080.
 */
export function integer(min: number, max: number): z.ZodType<number, unknown> {
  return z.unknown().transform((value, context) => readInteger(value, min, max, context));
}

/** {@link integer}, or `null` for "not set". */
function integerOrNull(min: number, max: number): z.ZodType<number | null, unknown> {
  return z.unknown().transform((value, context) => (value === null ? null : readInteger(value, min, max, context)));
}

function readInteger(value: unknown, min: number, max: number, context: z.RefinementCtx): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : Number.NaN;
  const problem = !Number.isSafeInteger(number)
    ? `must be an integer between ${min} and ${max}`
    : number < min
      ? `must be at least ${min}`
      : number > max
        ? `must be at most ${max}`
        : undefined;
  if (problem === undefined) return number;
  context.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
}

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'must be true or false' })
  .transform((value) => value === true || value === 'true' || value === '1');

/** A comma-separated string, or a list in the file: trimmed, empty entries dropped. */
function list(error: string): z.ZodType<string[], unknown> {
  return z.union([z.string().transform((value) => value.split(',')), z.array(z.string())], { error }).transform((items) => items.map((item) => item.trim()).filter((item) => item !== ''));
}

const apiKeys = z
  .union([z.string(), z.record(z.string(), z.string())], { error: 'must be "key=merchant,key2=merchant2" or an object of key → merchant' })
  .transform((value, context) => {
    // Split at the last "=": merchant ids never hold one, keys may (base64 padding).
    const pairs = typeof value === 'string' ? value.split(',').filter((pair) => pair.trim() !== '').map((pair) => splitAtLast(pair, '=')) : Object.entries(value);
    const keys = new Map<string, string>();
    pairs.forEach((pair, index) => {
      const [key, merchant] = pair.map((part) => part.trim());
      if (key === undefined || merchant === undefined || key === '' || merchant === '') {
        context.addIssue({ code: 'custom', message: `entry ${index + 1} must be key=merchantId` });
      } else if (key.length < 16 || !/^[\x21-\x7e]+$/.test(key)) {
        context.addIssue({ code: 'custom', message: `entry ${index + 1}: an API key must be at least 16 printable characters without spaces` });
      } else if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(merchant)) {
        context.addIssue({ code: 'custom', message: `entry ${index + 1}: the merchant id must be 1–64 letters, digits or _ . : -` });
      } else if (keys.has(key)) {
        context.addIssue({ code: 'custom', message: `entry ${index + 1}: the same API key is listed twice` });
      } else {
        keys.set(key, merchant);
      }
    });
    return keys;
  });

const chaosObject = z.record(z.string(), z.unknown());

const chaos = z.union([z.string(), chaosObject, z.null()], { error: 'must be a JSON object, "off", or null' }).transform((value, context) => {
  if (value === null || value === 'off' || value === '') return null;
  const parsed = chaosObject.safeParse(typeof value === 'string' ? parseJson(value) : value);
  if (!parsed.success) {
    context.addIssue({ code: 'custom', message: 'must be a JSON object such as {"failureRate":0.3,"seed":42}, or "off"' });
    return z.NEVER;
  }
  // Checked here, not when the first gateway is built: a bad value is a configuration error.
  for (const problem of chaosConfigProblems(parsed.data)) context.addIssue({ code: 'custom', message: formatChaosProblem(problem) });
  return parsed.data;
});

/**
 * Every setting, keyed as in a configuration file, each validated and converted from what a file
 * (JSON values) or an environment variable (strings) gives. One schema for the whole
 * configuration: every problem is found in one pass.
 */
export const settingsSchema = z.object({
  databaseUrl: z
    .string({ error: 'must be a string' })
    .refine((url) => /^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url), 'must be sqlite:<file> or postgres://user@host:port/database'),
  persistence: z.enum(['typeorm', 'memory'], { error: 'must be "typeorm" or "memory"' }),
  host: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  port: integer(0, 65_535),
  bodyLimitBytes: integer(256, 10_000_000),
  apiKeys,
  gateways: list('must be a comma-separated list')
    .transform((names) => names.map((name) => name.toUpperCase()))
    .pipe(z.array(z.enum(SIMULATED_ACQUIRERS, { error: `each gateway must be one of ${SIMULATED_ACQUIRERS.join(', ')}` })).min(1, 'must name at least one gateway')),
  zeroLatency: bool,
  chaos,
  seed: integerOrNull(0, 2 ** 31 - 1),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  recoveryIntervalMs: integer(100, 86_400_000),
  stuckAfterMs: integer(1_000, 86_400_000),
  outboxPollIntervalMs: integer(10, 3_600_000),
  // ── Events to NATS JetStream (opt-in): natsUrl, natsStream, natsSubjectPrefix, natsStreamReplicas — see nats-settings.ts ──
  ...natsSettings,
  // ── end of events to NATS JetStream ──
  bindings: list('must be a comma-separated list of module paths'),
});

/** The name of a setting: its key in a configuration file. */
export type Setting = keyof typeof settingsSchema.shape;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function splitAtLast(text: string, separator: string): string[] {
  const at = text.lastIndexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}
