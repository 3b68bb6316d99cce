import { readFileSync } from 'node:fs';
import { AegisPayError } from '@aegispay/domain';
import { DEFAULT_DATABASE_URL } from '@aegispay/typeorm';
import { SIMULATED_ACQUIRERS } from '@aegispay/gateways';
import { ORCHESTRATOR_DEFAULTS } from '@aegispay/orchestrator';
import { z } from 'zod';
import { settingsSchema, type LOG_LEVELS, type Setting as CoreSetting } from './config.schema';
import {
  CONNECTOR_GROUPS,
  CONNECTOR_SOURCES,
  DEFAULT_TOKEN_PATTERNS,
  missingConnectorSettings,
  SECRET_CONNECTOR_SETTINGS,
  type AdyenSettings,
  type StripeSettings,
} from './connector-settings';
import type { GatewayName, PspSettingsGroup } from './gateway-names';
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
  /**
   * The gateways to route between, in order: simulated acquirers (`STRIPE`, `PAYPAL`, `SQUARE`,
   * `ADYEN`) and connectors to real PSPs (`STRIPE_PSP`, `ADYEN_PSP`, configured by `stripe` and `adyen`).
   */
  readonly gateways: readonly GatewayName[];
  /** The Stripe connector's settings (used when `gateways` names `STRIPE_PSP`). Secrets are `Secret`s. */
  readonly stripe: StripeSettings;
  /** The Adyen connector's settings (used when `gateways` names `ADYEN_PSP`). Secrets are `Secret`s. */
  readonly adyen: AdyenSettings;
  /** The orchestrator's deadlines and attempts (its defaults unless configured). */
  readonly orchestrator: {
    /** Deadline of one gateway charge. Defaults to 10 000 ms. */
    readonly gatewayTimeoutMs: number;
    /** Gateway calls per payment that may have reached a gateway. Defaults to 3. */
    readonly maxAttempts: number;
    /** Deadline of one status lookup. Defaults to 5 000 ms. */
    readonly statusCheckTimeoutMs: number;
    /** How far a gateway's clock may run behind ours. Defaults to 2 000 ms. */
    readonly clockSkewMs: number;
  };
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
  gatewayTimeoutMs: 'AEGISPAY_GATEWAY_TIMEOUT_MS',
  maxAttempts: 'AEGISPAY_MAX_ATTEMPTS',
  statusCheckTimeoutMs: 'AEGISPAY_STATUS_CHECK_TIMEOUT_MS',
  clockSkewMs: 'AEGISPAY_CLOCK_SKEW_MS',
  ...NATS_SOURCES,
  bindings: 'AEGISPAY_BINDINGS',
  // ── Risk rules ──
  ...RISK_SOURCES,
  // ── Retention ──
  ...RETENTION_SOURCES,
} as const satisfies Record<Exclude<Setting, PspSettingsGroup>, string>;

/** Every key of a configuration file: the settings above, and one object per connector. */
const SETTINGS: readonly string[] = [...Object.keys(SOURCES), ...CONNECTOR_GROUPS];

/** Settings whose values are secrets: never echoed in a problem. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set(['apiKeys', ...SECRET_CONNECTOR_SETTINGS]);

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
  gatewayTimeoutMs: ORCHESTRATOR_DEFAULTS.gatewayTimeoutMs,
  maxAttempts: ORCHESTRATOR_DEFAULTS.maxAttempts,
  statusCheckTimeoutMs: ORCHESTRATOR_DEFAULTS.statusCheck.timeoutMs,
  clockSkewMs: ORCHESTRATOR_DEFAULTS.statusCheck.clockSkewMs,
  ...NATS_DEFAULTS,
  bindings: [],
  // ── Risk rules ──
  ...RISK_DEFAULTS,
  // ── Retention ──
  ...RETENTION_DEFAULTS,
  stripe: {},
  adyen: {},
};

/** The whole configuration: every setting checked in one pass, then shaped as an {@link AppConfig}. */
const configSchema = settingsSchema
  .extend({ ...riskSettings, ...retentionSettings })
  .superRefine((settings, context) => {
    for (const { group, key, message } of missingConnectorSettings(settings.gateways, settings)) context.addIssue({ code: 'custom', path: [group, key], message });
  })
  .transform(
  (settings): AppConfig =>
    Object.freeze({
      databaseUrl: settings.databaseUrl,
      persistence: settings.persistence,
      http: Object.freeze({ host: settings.host, port: settings.port, bodyLimitBytes: settings.bodyLimitBytes }),
      apiKeys: settings.apiKeys,
      gateways: Object.freeze([...new Set(settings.gateways)]),
      stripe: Object.freeze({ ...settings.stripe, tokenPattern: settings.stripe.tokenPattern ?? DEFAULT_TOKEN_PATTERNS.stripe }),
      adyen: Object.freeze({ ...settings.adyen, tokenPattern: settings.adyen.tokenPattern ?? DEFAULT_TOKEN_PATTERNS.adyen }),
      orchestrator: Object.freeze({
        gatewayTimeoutMs: settings.gatewayTimeoutMs,
        maxAttempts: settings.maxAttempts,
        statusCheckTimeoutMs: settings.statusCheckTimeoutMs,
        clockSkewMs: settings.clockSkewMs,
      }),
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
  const groups = Object.fromEntries(CONNECTOR_GROUPS.map((group) => [group, {} as Record<string, unknown>])) as Record<PspSettingsGroup, Record<string, unknown>>;
  const origin = new Map<string, string>();
  const set = (key: string, value: unknown, from: string): void => {
    raw[key] = value;
    origin.set(key, from);
  };
  const setInGroup = (group: PspSettingsGroup, key: string, value: unknown, from: string): void => {
    groups[group][key] = value;
    origin.set(`${group}.${key}`, from);
  };
  const file = options.file ?? env['AEGISPAY_CONFIG_FILE'];
  if (file !== undefined && file !== '') {
    for (const [key, value] of Object.entries(readConfigFile(file, problems))) {
      if (isGroup(key)) readGroup(key, value, `${file} → `, problems, setInGroup);
      else if (SETTINGS.includes(key)) set(key, value, `${file} → ${key}`);
      else problems.push(`${file}: unknown setting "${key}" (known: ${SETTINGS.join(', ')})`);
    }
  }
  for (const [key, variable] of Object.entries(SOURCES)) {
    const value = env[variable];
    if (value !== undefined) set(key, value, variable);
  }
  for (const group of CONNECTOR_GROUPS) {
    for (const [key, variable] of Object.entries(CONNECTOR_SOURCES[group])) {
      const value = env[variable];
      if (value !== undefined) setInGroup(group, key, value, variable);
    }
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (isGroup(key)) readGroup(key, value, 'option ', problems, setInGroup);
    else set(key, value, `option ${key}`);
  }
  for (const group of CONNECTOR_GROUPS) raw[group] = groups[group];

  const result = configSchema.safeParse(raw);
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.error?.issues ?? []) problems.push(describeIssue(issue, raw, origin));
  throw new ConfigurationError(problems);
}

function isGroup(key: string): key is PspSettingsGroup {
  return (CONNECTOR_GROUPS as readonly string[]).includes(key);
}

/** Reads a connector's settings object (from the file or an override) field by field, so the environment can override single fields. */
function readGroup(
  group: PspSettingsGroup,
  value: unknown,
  source: string,
  problems: string[],
  setInGroup: (group: PspSettingsGroup, key: string, value: unknown, from: string) => void,
): void {
  const known = Object.keys(CONNECTOR_SOURCES[group]);
  // The value is not echoed: it holds secrets.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${source}${group}: must be an object of ${group} settings (${known.join(', ')})`);
    return;
  }
  for (const [key, field] of Object.entries(value)) {
    if (known.includes(key)) setInGroup(group, key, field, `${source}${group}.${key}`);
    else problems.push(`${source}${group}: unknown setting "${key}" (known: ${known.join(', ')})`);
  }
}

/** One schema issue as a problem: where the value came from, what is wrong, and the value unless it is a secret. */
function describeIssue(issue: z.core.$ZodIssue, raw: Readonly<Record<string, unknown>>, origin: ReadonlyMap<string, string>): string {
  const [first, second] = issue.path.map(String);
  const group = first !== undefined && isGroup(first) ? first : undefined;
  const key = group !== undefined && second !== undefined ? `${group}.${second}` : (first ?? '');
  const value = group === undefined ? raw[key] : second === undefined ? undefined : (raw[group] as Record<string, unknown>)[second];
  const source =
    origin.get(key) ?? (group !== undefined && second !== undefined ? ((CONNECTOR_SOURCES[group] as Record<string, string>)[second] ?? key) : `default ${key}`);
  // Secrets are never echoed, nor the password of a database URL, nor a connector's settings as a whole.
  const given = typeof value === 'string' ? redactUrlPassword(value) : value;
  const secret = SECRET_SETTINGS.has(key) || (group !== undefined && second === undefined);
  const shown = secret || value === undefined ? '' : ` (got ${JSON.stringify(given)?.slice(0, 60) ?? String(given)})`;
  return `${source}: ${issue.message}${shown}`;
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
