import { readFileSync } from 'node:fs';
import { AegisPayError } from '@aegispay/domain';
import { DEFAULT_DATABASE_URL } from '@aegispay/typeorm';
import { z } from 'zod';
import { SIMULATED_ACQUIRERS, type SimulatedAcquirer } from '@aegispay/gateways';
import { settingsSchema, type LOG_LEVELS, type Setting as CoreSetting } from './config.schema';
import { NATS_DEFAULTS, NATS_SOURCES, natsConfigOf, type NatsConfig } from './nats-settings';
import { RETENTION_DEFAULTS, RETENTION_SOURCES, retentionConfigOf, retentionSettings, type RetentionConfig } from './retention-settings';
import { RISK_DEFAULTS, RISK_SOURCES, riskConfigOf, riskSettings, type RiskConfig } from './risk-settings';

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
  readonly gateways: readonly SimulatedAcquirer[];
  /** Simulated gateways answer at once (benchmarks, fast tests). */
  readonly zeroLatency: boolean;
  /** Chaos around every gateway: `null` for none, else a `ChaosConfig` (validated by `@aegispay/chaos`). */
  readonly chaos: Readonly<Record<string, unknown>> | null;
  /** Seeds every random choice (gateway simulation, chaos, jitter, exploration) for a reproducible run; `null` for cryptographic randomness. */
  readonly seed: number | null;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly recovery: { readonly intervalMs: number; readonly stuckAfterMs: number };
  readonly outbox: { readonly pollIntervalMs: number };
  /** Events to NATS JetStream (`AEGISPAY_NATS_URL`); `null`: the outbox relay publishes to the in-process event log. */
  readonly nats: NatsConfig | null;
  /**
   * Modules `aegispay serve` loads after its own bindings (`AEGISPAY_BINDINGS`, `--bindings`): each
   * exports `ContainerModule`s that may rebind any token. Defaults to none.
   */
  readonly bindings: readonly string[];
  // ── Risk rules (src/config/risk-settings.ts) ──
  /** The default risk rules: maximum amounts per merchant and currency, velocity per customer and per payment token. */
  readonly risk: RiskConfig;
  // ── Retention (src/config/retention-settings.ts) ──
  /** Purging published outbox events and expired idempotency keys. */
  readonly retention: RetentionConfig;
}

/** The name of a setting: its key in a configuration file. */
export type Setting = CoreSetting | keyof typeof riskSettings | keyof typeof retentionSettings;

/** The configuration was invalid; `problems` lists every bad value with its source and what is expected. */
export class ConfigurationError extends AegisPayError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG.INVALID', `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, { details: { problems } });
  }
}

/** Where each setting comes from: the environment variable of each key of a configuration file. */
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
  ...NATS_SOURCES,
  bindings: 'AEGISPAY_BINDINGS',
  // ── Risk rules ──
  ...RISK_SOURCES,
  // ── Retention ──
  ...RETENTION_SOURCES,
} as const satisfies Record<Setting, string>;

const SETTINGS: readonly string[] = Object.keys(SOURCES);

/** A configuration file holds one JSON object of settings. */
const FILE_SCHEMA = z.record(z.string(), z.unknown());

const DEFAULTS: Record<Setting, unknown> = {
  databaseUrl: DEFAULT_DATABASE_URL,
  persistence: 'typeorm',
  host: '127.0.0.1',
  port: 3000,
  bodyLimitBytes: 16_384,
  apiKeys: '',
  gateways: [...SIMULATED_ACQUIRERS],
  zeroLatency: false,
  chaos: null,
  seed: null,
  logLevel: 'info',
  recoveryIntervalMs: 30_000,
  stuckAfterMs: 300_000,
  outboxPollIntervalMs: 1_000,
  ...NATS_DEFAULTS,
  bindings: [],
  // ── Risk rules ──
  ...RISK_DEFAULTS,
  // ── Retention ──
  ...RETENTION_DEFAULTS,
};

/** The whole configuration: every setting checked in one pass, then shaped as an {@link AppConfig}. */
const configSchema = settingsSchema.extend({ ...riskSettings, ...retentionSettings }).transform(
  (settings): AppConfig =>
    Object.freeze({
      databaseUrl: settings.databaseUrl,
      persistence: settings.persistence,
      http: Object.freeze({ host: settings.host, port: settings.port, bodyLimitBytes: settings.bodyLimitBytes }),
      apiKeys: settings.apiKeys,
      gateways: Object.freeze([...new Set(settings.gateways)]),
      zeroLatency: settings.zeroLatency,
      chaos: settings.chaos,
      seed: settings.seed,
      logLevel: settings.logLevel,
      recovery: Object.freeze({ intervalMs: settings.recoveryIntervalMs, stuckAfterMs: settings.stuckAfterMs }),
      outbox: Object.freeze({ pollIntervalMs: settings.outboxPollIntervalMs }),
      nats: natsConfigOf(settings),
      bindings: Object.freeze([...settings.bindings]),
      // ── Risk rules ──
      risk: riskConfigOf(settings),
      // ── Retention ──
      retention: retentionConfigOf(settings),
    }),
);

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A JSON file with any of the settings (keys as in the README's table); `AEGISPAY_CONFIG_FILE` otherwise. */
  readonly file?: string;
  /** Values that win over everything (command-line flags, tests). */
  readonly overrides?: Partial<Record<Setting, unknown>>;
}

/**
 * Reads the configuration: defaults, then the optional JSON file, then environment variables, then
 * overrides — all through one schema, so every problem is reported at once.
 *
 * @throws ConfigurationError listing each bad value, where it came from, and what is expected.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const raw: Record<string, unknown> = { ...DEFAULTS };
  const origin = new Map<string, string>();
  const file = options.file ?? env['AEGISPAY_CONFIG_FILE'];
  if (file !== undefined && file !== '') {
    for (const [key, value] of Object.entries(readConfigFile(file, problems))) {
      if (!SETTINGS.includes(key)) {
        problems.push(`${file}: unknown setting "${key}" (known: ${SETTINGS.join(', ')})`);
        continue;
      }
      raw[key] = value;
      origin.set(key, `${file} → ${key}`);
    }
  }
  for (const [key, variable] of Object.entries(SOURCES)) {
    const value = env[variable];
    if (value !== undefined) {
      raw[key] = value;
      origin.set(key, variable);
    }
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    raw[key] = value;
    origin.set(key, `option ${key}`);
  }

  const result = configSchema.safeParse(raw);
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.error?.issues ?? []) {
    const key = String(issue.path[0] ?? '');
    const value = raw[key];
    // API keys are never echoed, nor the password of a database URL.
    const given = typeof value === 'string' ? redactUrlPassword(value) : value;
    const shown = key === 'apiKeys' ? '' : ` (got ${JSON.stringify(given)?.slice(0, 60) ?? String(given)})`;
    problems.push(`${origin.get(key) ?? `default ${key}`}: ${issue.message}${shown}`);
  }
  throw new ConfigurationError(problems);
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
    const parsed = FILE_SCHEMA.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
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
