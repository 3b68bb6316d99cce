import { InvalidOptionError, ValidationError } from '@aegispay/domain';
import { createDataSource, migrate } from '@aegispay/typeorm';
import { Container, type ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { ConfigurationError, type AppConfig } from '../config/app-config';
import { createAppLogger } from '../logging/app-logger';
import { errorLogFields } from '../logging/error-log-fields';
import { gatewaysModule } from './gateways.module';
import { paymentsModule } from './payments.module';
import { inMemoryPersistenceModule, typeOrmPersistenceModule } from './persistence.module';
import { systemModule, type SystemBindings } from './system.module';
import { TOKENS, type Token } from './tokens';

/** Options of {@link createAppContainer}. */
export interface AppContainerOptions extends SystemBindings {
  /** Run pending migrations on start-up. Defaults to true. */
  readonly migrate?: boolean;
  /**
   * Modules loaded after the app's own, in order: they may add bindings (`httpModule()` for the HTTP
   * API) or rebind anything (an adapter swapped is one binding). Defaults to none.
   */
  readonly modules?: readonly ContainerModule[];
}

/** The composed application: its container, and the lifecycle of its loops and connections. */
export interface AppContainer {
  readonly container: Container;
  readonly config: AppConfig;
  /** The TypeORM data source, or null with in-memory persistence. */
  readonly dataSource: DataSource | null;
  /** What is bound to `token` (synchronous bindings). */
  get<T>(token: Token<T>): T;
  /** What is bound to `token`, for bindings built asynchronously (`HTTP_TOKENS.HttpServer`). */
  getAsync<T>(token: Token<T>): Promise<T>;
  /** Starts the background loops: payment recovery (it runs once at once), the outbox relay, and retention unless switched off. */
  start(): void;
  /**
   * Stops the loops (waiting for a run in progress), closes the PSP connectors' connections and the database connection.
   * @throws AppCloseError naming each step that failed (every step is still tried).
   */
  close(): Promise<void>;
}

/**
 * Composes the application: the one place that knows every adapter, and the one composition root —
 * the commands, the HTTP server and the tests resolve what they need from its container.
 * Persistence is TypeORM over `config.databaseUrl` (SQLite by default, PostgreSQL for
 * `postgres://`) or in memory; gateways are the simulated acquirers (wrapped in chaos when
 * configured) and the connectors to real PSPs the configuration names; `options.modules` add to it
 * or rebind any of it.
 */
export async function createAppContainer(config: AppConfig, options: AppContainerOptions = {}): Promise<AppContainer> {
  const { migrate: runMigrations = true, modules = [], ...bindings } = options;
  const logger = bindings.logger ?? createAppLogger(config.logLevel, process.stderr);
  let dataSource: DataSource | null = null;
  if (config.persistence === 'typeorm') {
    dataSource = await createDataSource({ url: config.databaseUrl });
    try {
      if (runMigrations) await migrate(dataSource);
    } catch (error) {
      // Nobody else holds the data source yet: left open, a PostgreSQL pool would keep the
      // process alive (and connections busy) after the failed start.
      await closeAfterFailedStart(dataSource, logger);
      throw error;
    }
  }
  const container = new Container();
  await container.load(
    systemModule(config, { ...bindings, logger }),
    dataSource === null ? inMemoryPersistenceModule() : typeOrmPersistenceModule(dataSource),
    gatewaysModule(),
    paymentsModule(),
  );
  for (const module of modules) {
    await container.load(module);
  }
  try {
    buildEagerly(container);
  } catch (error) {
    if (dataSource !== null) await closeAfterFailedStart(dataSource, logger);
    throw error;
  }
  const runtime = container.get(TOKENS.Runtime);
  return {
    container,
    config,
    dataSource,
    get: (token) => container.get(token),
    getAsync: (token) => container.getAsync(token),
    start: () => runtime.start(),
    close: () => runtime.close(),
  };
}

/** Closes the data source of a start that failed; a failure to close is logged, the start's own error is what the caller rethrows. */
async function closeAfterFailedStart(dataSource: DataSource, logger: Logger): Promise<void> {
  if (!dataSource.isInitialized) return;
  try {
    await dataSource.destroy();
  } catch (error) {
    logger.error({ error: errorLogFields(error) }, 'could not close the database after a failed start');
  }
}

/** The configuration settings each loop reads, by the option name its constructor reports. */
const LOOP_SETTINGS: readonly { readonly token: Token<unknown>; readonly settings: Readonly<Record<string, string>> }[] = [
  {
    token: TOKENS.PaymentOrchestrator,
    settings: { gatewayTimeoutMs: 'AEGISPAY_GATEWAY_TIMEOUT_MS', maxAttempts: 'AEGISPAY_MAX_ATTEMPTS', 'statusCheck.timeoutMs': 'AEGISPAY_STATUS_CHECK_TIMEOUT_MS', 'statusCheck.clockSkewMs': 'AEGISPAY_CLOCK_SKEW_MS' },
  },
  { token: TOKENS.PaymentRecovery, settings: { intervalMs: 'AEGISPAY_RECOVERY_INTERVAL_MS', stuckAfterMs: 'AEGISPAY_STUCK_AFTER_MS' } },
  { token: TOKENS.OutboxRelay, settings: { pollIntervalMs: 'AEGISPAY_OUTBOX_POLL_INTERVAL_MS' } },
  { token: TOKENS.RetentionSweeper, settings: { intervalMs: 'AEGISPAY_RETENTION_INTERVAL_MS', outboxRetentionMs: 'AEGISPAY_OUTBOX_RETENTION_MS', batchSize: 'AEGISPAY_RETENTION_BATCH_SIZE' } },
];

/**
 * Builds the orchestrator and the loops (and with them the gateways and the PSP connectors) now rather than on first
 * use, so that a setting their constructors refuse — a `stuckAfterMs` shorter than the
 * orchestrator's worst case, say — is a configuration error at start-up, named by its variable,
 * instead of an error half-way through a command.
 *
 * @throws ConfigurationError for a refused setting.
 */
function buildEagerly(container: Container): void {
  for (const { token, settings } of LOOP_SETTINGS) {
    try {
      container.get(token);
    } catch (error) {
      const variable = ValidationError.is(error) ? settings[error.field] : undefined;
      if (variable === undefined) throw error;
      // The variable names the setting: say what is wrong with it, not which class refused it.
      const reason = InvalidOptionError.is(error) ? `${error.field} ${error.detail}.` : error instanceof Error ? error.message : String(error);
      throw new ConfigurationError([`${variable}: ${reason}`]);
    }
  }
}
