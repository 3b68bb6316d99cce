import { readFileSync } from 'node:fs';
import { AegisPayError } from '@aegispay/domain';
import { SIMULATED_ACQUIRERS as ACQUIRERS } from '@aegispay/gateways';
import { DEFAULT_DATABASE_URL } from '@aegispay/typeorm';
import { z } from 'zod';
import { chaosConfigProblems, formatChaosProblem } from './chaos-settings';

/** The app's configuration, every default applied. */
export interface AppConfig {
  /** `sqlite:<file>` (the default, `./data/aegispay.sqlite`) or `postgres://…`. */
  readonly databaseUrl: string;
  /** `typeorm` (the database above) or `memory` (nothing survives the process; for tests and experiments). */
  readonly persistence: 'typeorm' | 'memory';
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Request bodies above this many bytes are refused with 413. */
    readonly bodyLimitBytes: number;
  };
  /** API key → merchant id. Keys are secrets: at least 16 characters, never logged. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** The simulated acquirers to run. */
  readonly gateways: readonly (typeof ACQUIRERS)[number][];
  /** Simulated gateways answer at once (benchmarks, fast tests). */
  readonly zeroLatency: boolean;
  /** Chaos around every gateway: `null` for none, else a `ChaosConfig` (validated by `@aegispay/chaos`). */
  readonly chaos: Readonly<Record<string, unknown>> | null;
  /** Seeds every random choice (gateway simulation, chaos, jitter, exploration) for a reproducible run; `null` for cryptographic randomness. */
  readonly seed: number | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly recovery: { readonly intervalMs: number; readonly stuckAfterMs: number };
  readonly outbox: { readonly pollIntervalMs: number };
}

/** The configuration was invalid; `problems` lists every bad value with its source and what is expected. */
export class ConfigurationError extends AegisPayError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG.INVALID', `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, { details: { problems } });
  }
}

/** Where each setting comes from: the environment variable, and the key in a config file. */
const SOURCES = {
  databaseUrl: 'AEGISPAY_DATABASE_URL',
  persistence: 'AEGISPAY_PERSISTENCE',
  host: 'AEGISPAY_HOST',
  port: 'AEGISPAY_PORT',
  bodyLimitBytes: 'AEGISPAY_BODY_LIMIT_BYTES',
  apiKeys: 'AEGISPAY_API_KEYS',
  gateways: 'AEGISPAY_GATEWAYS',
  zeroLatency: 'AEGISPAY_ZERO_LATENCY',
  chaos: 'AEGISPAY_CHAOS',
  seed: 'AEGISPAY_SEED',
  logLevel: 'AEGISPAY_LOG_LEVEL',
  recoveryIntervalMs: 'AEGISPAY_RECOVERY_INTERVAL_MS',
  stuckAfterMs: 'AEGISPAY_STUCK_AFTER_MS',
  outboxPollIntervalMs: 'AEGISPAY_OUTBOX_POLL_INTERVAL_MS',
} as const;

type Key = keyof typeof SOURCES;

/**
 * A whole number from a JSON number or a string of decimal digits. Not `z.coerce.number()`: it
 * turns an empty variable, `null` or `false` into 0 (AEGISPAY_PORT= would listen on a random
 * port, AEGISPAY_SEED= would seed with 0), `true` into 1 and `[8080]` into 8080.
 */
function integer(min: number, max: number, options: { readonly nullable?: boolean } = {}): z.ZodType<number | null, unknown> {
  return z.unknown().transform((value, context) => {
    if (value === null && options.nullable === true) return null;
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number)) {
      context.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
    } else if (number < min) {
      context.addIssue({ code: 'custom', message: `must be at least ${min}` });
    } else if (number > max) {
      context.addIssue({ code: 'custom', message: `must be at most ${max}` });
    }
    return number;
  });
}

const int = (min: number, max: number): z.ZodType<number, unknown> => integer(min, max) as z.ZodType<number, unknown>;

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'must be true or false' }).transform((value) => value === true || value === 'true' || value === '1');

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

const SCHEMA = {
  databaseUrl: z
    .string({ error: 'must be a string' })
    .refine((url) => /^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url), 'must be sqlite:<file> or postgres://user@host:port/database'),
  persistence: z.enum(['typeorm', 'memory'], { error: 'must be "typeorm" or "memory"' }),
  host: z.string().min(1, 'must not be empty'),
  port: int(0, 65_535),
  bodyLimitBytes: int(256, 10_000_000),
  apiKeys,
  gateways: z
    .union([z.string().transform((value) => value.split(',').map((name) => name.trim().toUpperCase()).filter((name) => name !== '')), z.array(z.string()).transform((names) => names.map((name) => name.trim().toUpperCase()))], {
      error: 'must be a comma-separated list',
    })
    .pipe(z.array(z.enum(ACQUIRERS, { error: `each gateway must be one of ${ACQUIRERS.join(', ')}` })).min(1, 'must name at least one gateway')),
  zeroLatency: bool,
  chaos: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.null()], { error: 'must be a JSON object, "off", or null' })
    .transform((value, context) => {
      if (value === null || value === 'off' || value === '') return null;
      let chaos: Record<string, unknown> | null = null;
      if (typeof value !== 'string') {
        chaos = value;
      } else {
        try {
          const parsed: unknown = JSON.parse(value);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) chaos = parsed as Record<string, unknown>;
        } catch {
          // reported below
        }
      }
      if (chaos === null) {
        context.addIssue({ code: 'custom', message: 'must be a JSON object such as {"failureRate":0.3,"seed":42}, or "off"' });
        return null;
      }
      // Checked here, not when the first gateway is built: a bad value is a configuration error.
      for (const problem of chaosConfigProblems(chaos)) context.addIssue({ code: 'custom', message: formatChaosProblem(problem) });
      return chaos;
    }),
  seed: integer(0, 2 ** 31 - 1, { nullable: true }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }),
  recoveryIntervalMs: int(100, 86_400_000),
  stuckAfterMs: int(1_000, 86_400_000),
  outboxPollIntervalMs: int(10, 3_600_000),
} satisfies Record<Key, z.ZodType>;

const DEFAULTS: Record<Key, unknown> = {
  databaseUrl: DEFAULT_DATABASE_URL,
  persistence: 'typeorm',
  host: '127.0.0.1',
  port: 3000,
  bodyLimitBytes: 16_384,
  apiKeys: '',
  gateways: [...ACQUIRERS],
  zeroLatency: false,
  chaos: null,
  seed: null,
  logLevel: 'info',
  recoveryIntervalMs: 30_000,
  stuckAfterMs: 300_000,
  outboxPollIntervalMs: 1_000,
};

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A JSON file with any of the settings (keys as in {@link SOURCES}); `AEGISPAY_CONFIG_FILE` otherwise. */
  readonly file?: string;
  /** Values that win over everything (command-line flags, tests). */
  readonly overrides?: Partial<Record<Key, unknown>>;
}

/**
 * Reads the configuration: defaults, then the optional JSON file, then environment variables, then
 * overrides. Every value is validated at once; all problems are reported together.
 *
 * @throws ConfigurationError listing each bad value, where it came from, and what is expected.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const raw: Record<string, unknown> = { ...DEFAULTS };
  const origin: Record<string, string> = {};
  const file = options.file ?? env['AEGISPAY_CONFIG_FILE'];
  if (file !== undefined && file !== '') {
    const fromFile = readConfigFile(file, problems);
    for (const [key, value] of Object.entries(fromFile)) {
      if (!(key in SOURCES)) {
        problems.push(`${file}: unknown setting "${key}" (known: ${Object.keys(SOURCES).join(', ')})`);
        continue;
      }
      raw[key] = value;
      origin[key] = `${file} → ${key}`;
    }
  }
  for (const [key, variable] of Object.entries(SOURCES)) {
    const value = env[variable];
    if (value !== undefined) {
      raw[key] = value;
      origin[key] = variable;
    }
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    raw[key] = value;
    origin[key] = `option ${key}`;
  }

  const parsed: Record<string, unknown> = {};
  for (const key of Object.keys(SOURCES) as Key[]) {
    const result = SCHEMA[key].safeParse(raw[key]);
    if (result.success) {
      parsed[key] = result.data;
    } else {
      const where = origin[key] ?? `default ${key}`;
      // API keys are never echoed, nor the password of a database URL.
      const given = typeof raw[key] === 'string' ? redactUrlPassword(raw[key]) : raw[key];
      const shown = key === 'apiKeys' ? '' : ` (got ${JSON.stringify(given)?.slice(0, 60) ?? String(given)})`;
      for (const issue of result.error.issues) problems.push(`${where}: ${issue.message}${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  return Object.freeze({
    databaseUrl: parsed['databaseUrl'] as string,
    persistence: parsed['persistence'] as AppConfig['persistence'],
    http: Object.freeze({ host: parsed['host'] as string, port: parsed['port'] as number, bodyLimitBytes: parsed['bodyLimitBytes'] as number }),
    apiKeys: parsed['apiKeys'] as ReadonlyMap<string, string>,
    gateways: Object.freeze([...new Set(parsed['gateways'] as AppConfig['gateways'])]),
    zeroLatency: parsed['zeroLatency'] as boolean,
    chaos: parsed['chaos'] as AppConfig['chaos'],
    seed: parsed['seed'] as number | null,
    logLevel: parsed['logLevel'] as AppConfig['logLevel'],
    recovery: Object.freeze({ intervalMs: parsed['recoveryIntervalMs'] as number, stuckAfterMs: parsed['stuckAfterMs'] as number }),
    outbox: Object.freeze({ pollIntervalMs: parsed['outboxPollIntervalMs'] as number }),
  });
}

function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    problems.push(`${file}: must hold a JSON object of settings`);
  } catch (error) {
    problems.push(`${file}: is not valid JSON (${(error as Error).message})`);
  }
  return {};
}

/** A URL fit to print: the password of `scheme://user:password@host…` is masked. */
export function redactUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1****@');
}

function splitAtLast(text: string, separator: string): string[] {
  const at = text.lastIndexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}
