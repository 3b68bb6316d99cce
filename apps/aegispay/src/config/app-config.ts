import { readFileSync } from 'node:fs';
import { AegisPayError } from '@aegispay/domain';
import { DEFAULT_DATABASE_URL } from '@aegispay/typeorm';
import { z } from 'zod';

const ACQUIRERS = ['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'] as const;

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

const int = (min: number, max: number): z.ZodType<number> =>
  z.coerce.number({ error: `must be an integer between ${min} and ${max}` }).int(`must be an integer between ${min} and ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'must be true or false' }).transform((value) => value === true || value === 'true' || value === '1');

const apiKeys = z
  .union([z.string(), z.record(z.string(), z.string())], { error: 'must be "key=merchant,key2=merchant2" or an object of key → merchant' })
  .transform((value, context) => {
    const pairs = typeof value === 'string' ? value.split(',').filter((pair) => pair.trim() !== '').map((pair) => pair.split('=')) : Object.entries(value);
    const keys = new Map<string, string>();
    pairs.forEach((pair, index) => {
      const [key, merchant, ...rest] = pair.map((part) => part.trim());
      if (key === undefined || merchant === undefined || rest.length > 0 || key === '' || merchant === '') {
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
    .union([z.string().transform((value) => value.split(',').map((name) => name.trim().toUpperCase()).filter((name) => name !== '')), z.array(z.string())], {
      error: 'must be a comma-separated list',
    })
    .pipe(z.array(z.enum(ACQUIRERS, { error: `each gateway must be one of ${ACQUIRERS.join(', ')}` })).min(1, 'must name at least one gateway')),
  zeroLatency: bool,
  chaos: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.null()], { error: 'must be a JSON object, "off", or null' })
    .transform((value, context) => {
      if (value === null || value === 'off' || value === '') return null;
      if (typeof value !== 'string') return value;
      try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      } catch {
        // reported below
      }
      context.addIssue({ code: 'custom', message: 'must be a JSON object such as {"failureRate":0.3,"seed":42}, or "off"' });
      return null;
    }),
  seed: z.union([z.null(), int(0, 2 ** 31 - 1)]),
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
      const shown = key === 'apiKeys' ? '' : ` (got ${JSON.stringify(raw[key])?.slice(0, 60) ?? String(raw[key])})`;
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
