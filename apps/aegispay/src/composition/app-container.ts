import { ValidationError } from '@aegispay/domain';
import { createDataSource, migrate } from '@aegispay/typeorm';
import { Container, type ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { ConfigurationError, type AppConfig } from '../config/app-config';
import { simulatedGatewaysModule } from './gateways.module';
import { paymentsModule } from './payments.module';
import { inMemoryPersistenceModule, typeOrmPersistenceModule } from './persistence.module';
import { systemModule, type SystemBindings } from './system.module';
import { TOKENS, type Token } from './tokens';

/** Options of {@link createAppContainer}. */
export interface AppContainerOptions extends SystemBindings {
  /** Run pending migrations on start-up. Defaults to true. */
  readonly migrate?: boolean;
  /** Modules loaded last: they may rebind anything (an adapter swapped is one binding). */
  readonly modules?: readonly ContainerModule[];
}

/** The composed application: its container, and the lifecycle of its loops and connections. */
export interface AppContainer {
  readonly container: Container;
  readonly config: AppConfig;
  /** The TypeORM data source, or null with in-memory persistence. */
  readonly dataSource: DataSource | null;
  get<T>(token: Token<T>): T;
  /** Starts the background loops: payment recovery (it runs once at once) and the outbox relay. */
  start(): void;
  /** Stops the loops (waiting for a run in progress) and closes the database connection. */
  close(): Promise<void>;
}

/**
 * Composes the application: the one place that knows every adapter. Persistence is TypeORM over
 * `config.databaseUrl` (SQLite by default, PostgreSQL for `postgres://`) or in memory; gateways are
 * the simulated acquirers, wrapped in chaos when configured.
 */
export async function createAppContainer(config: AppConfig, options: AppContainerOptions = {}): Promise<AppContainer> {
  let dataSource: DataSource | null = null;
  if (config.persistence === 'typeorm') {
    dataSource = await createDataSource({ url: config.databaseUrl });
    try {
      if (options.migrate ?? true) await migrate(dataSource);
    } catch (error) {
      // Nobody else holds the data source yet: left open, a PostgreSQL pool would keep the
      // process alive (and connections busy) after the failed start.
      await dataSource.destroy().catch(() => undefined);
      throw error;
    }
  }
  const container = new Container();
  const { migrate: _migrate, modules = [], ...bindings } = options;
  await container.load(
    systemModule(config, bindings),
    dataSource === null ? inMemoryPersistenceModule() : typeOrmPersistenceModule(dataSource),
    simulatedGatewaysModule(),
    paymentsModule(),
  );
  for (const module of modules) {
    await container.load(module);
  }
  try {
    buildEagerly(container);
  } catch (error) {
    if (dataSource?.isInitialized === true) await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  let started = false;
  return {
    container,
    config,
    dataSource,
    get: (token) => container.get(token),
    start() {
      if (started) return;
      started = true;
      container.get(TOKENS.PaymentRecovery).start();
      container.get(TOKENS.OutboxRelay).start();
    },
    async close() {
      if (started) {
        started = false;
        await Promise.all([container.get(TOKENS.PaymentRecovery).stop(), container.get(TOKENS.OutboxRelay).stop()]);
      }
      if (dataSource?.isInitialized === true) await dataSource.destroy();
    },
  };
}

/** The configuration settings each loop reads, by the option name its constructor reports. */
const LOOP_SETTINGS: readonly { readonly token: Token<unknown>; readonly settings: Readonly<Record<string, string>> }[] = [
  { token: TOKENS.PaymentRecovery, settings: { intervalMs: 'AEGISPAY_RECOVERY_INTERVAL_MS', stuckAfterMs: 'AEGISPAY_STUCK_AFTER_MS' } },
  { token: TOKENS.OutboxRelay, settings: { pollIntervalMs: 'AEGISPAY_OUTBOX_POLL_INTERVAL_MS' } },
];

/**
 * Builds the loops (and with them the orchestrator and the gateways) now rather than on first
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
      throw new ConfigurationError([`${variable}: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
}
