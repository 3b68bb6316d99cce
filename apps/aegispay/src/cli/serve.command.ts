import { AegisPayError } from '@aegispay/domain';
import type { CliCommand, CliIo } from './cli-command';
import type { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { createAppContainer, type AppContainer, type AppContainerOptions } from '../composition/app-container';
import { loadBindings } from '../composition/bindings.loader';
import { ConfigurationError, loadConfig, type AppConfig } from '../config/app-config';
import { DEVELOPMENT_MERCHANT_ID, resolveApiKeys, type ResolvedApiKeys } from '../http/development-api-key';
import type { HttpServer } from '../http/http-server';
import { httpModule, type HttpModuleOptions } from '../http/http.module';
import { HTTP_TOKENS } from '../http/http.tokens';
import { createAppLogger } from '../logging/app-logger';
import { errorLogFields } from '../logging/error-log-fields';

/** Where termination signals come from: `process` in production, an `EventEmitter` in tests. */
export interface SignalSource {
  once(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** Options of {@link createServeCommand}. */
export interface ServeCommandOptions {
  /** Defaults to `process`. */
  readonly signals?: SignalSource;
  /** Passed to `createAppContainer` (tests bind a fake clock or other gateways); its modules load before `--bindings`. Defaults to none. */
  readonly container?: Omit<AppContainerOptions, 'logger'>;
  /** Passed to `httpModule`. Defaults to `HTTP_DEFAULTS`. */
  readonly server?: Omit<HttpModuleOptions, 'apiKeys'>;
  /** Called once the server listens (tests use it to reach the server). */
  readonly onListening?: (server: HttpServer, app: AppContainer) => void;
}

const HELP = `Usage: aegispay serve [--port <n>] [--host <address>] [--database-url <url>] [--config <file>] [--bindings <module>]

Starts the HTTP API: loads the configuration, runs the database migrations, starts the payment
recovery and outbox relay loops, and listens. SIGTERM or SIGINT shuts it down gracefully: no new
requests, in-flight payments finish, the loops stop, the database is closed. A second signal stops
waiting for in-flight payments (recovery completes any already sent to a gateway).

Options:
  --port <n>            Port to listen on (0 picks a free one). Default: AEGISPAY_PORT or 3000.
  --host <address>      Address to listen on. Default: AEGISPAY_HOST or 127.0.0.1.
  --database-url <url>  sqlite:<file> or postgres://user@host:5432/db. Default: AEGISPAY_DATABASE_URL
                        or sqlite:./data/aegispay.sqlite.
  --config <file>       JSON configuration file (as AEGISPAY_CONFIG_FILE).
  --bindings <module>   Module(s) exporting ContainerModules loaded after the app's own, to rebind
                        any token (swap an adapter); comma-separated. Default: AEGISPAY_BINDINGS.
  -h, --help            Show this help.

Environment (see the README for all settings):
  AEGISPAY_API_KEYS      key=merchantId pairs, comma-separated (keys of 16+ characters).
                         Unset: the development key of the README is accepted, on a loopback
                         host and outside NODE_ENV=production only.
  AEGISPAY_DATABASE_URL  sqlite:<file> (default ./data/aegispay.sqlite) or postgres://…
  AEGISPAY_LOG_LEVEL     fatal, error, warn, info (default), debug, trace or silent.
`;

/** Builds the `aegispay serve` command. */
export function createServeCommand(options: ServeCommandOptions = {}): CliCommand {
  return {
    name: 'serve',
    summary: 'Start the HTTP API (payments, refunds, gateway health, /healthz, /metrics).',
    help: HELP,
    run: (args, io) => serve(args, io, options),
  };
}

/** `aegispay serve [--port n] [--host h]`. */
export const serveCommand: CliCommand = createServeCommand();

async function serve(args: readonly string[], io: CliIo, options: ServeCommandOptions): Promise<number> {
  const parsed = parseArguments(args);
  if (parsed === 'HELP') {
    io.stdout.write(HELP);
    return 0;
  }
  if (typeof parsed === 'string') {
    io.stderr.write(`aegispay serve: ${parsed}\n\n${HELP}`);
    return 2;
  }
  let config: AppConfig;
  let keys: ResolvedApiKeys;
  let bindings: ContainerModule[];
  try {
    const { config: file, ...overrides } = parsed;
    config = loadConfig({ env: io.env, ...(file === undefined ? {} : { file }), overrides });
    keys = resolveApiKeys(config, io.env);
    bindings = loadBindings(config.bindings);
  } catch (error) {
    if (ConfigurationError.is(error)) {
      io.stderr.write(`aegispay serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const logger = createAppLogger(config.logLevel, io.stdout, 'aegispay-api');
  let app: AppContainer;
  try {
    const modules = [httpModule({ ...options.server, apiKeys: keys.keys }), ...(options.container?.modules ?? []), ...bindings];
    app = await createAppContainer(config, { ...options.container, logger, modules });
  } catch (error) {
    if (ConfigurationError.is(error)) {
      io.stderr.write(`aegispay serve: ${error.message}\n`);
      return 2;
    }
    logger.fatal({ error: errorLogFields(error) }, 'could not start: the database could not be opened or migrated, or the app could not be composed');
    io.stderr.write(`aegispay serve: could not start the app: open and migrate the database, compose the payment services (${describe(error)}).\n`);
    return 1;
  }

  let server: HttpServer;
  try {
    server = await app.getAsync(HTTP_TOKENS.HttpServer);
  } catch (error) {
    logger.fatal({ error: errorLogFields(error) }, 'could not build the HTTP server');
    io.stderr.write(`aegispay serve: could not build the HTTP server (${describe(error)}).\n`);
    await closeAfterFailedStart(app, logger);
    return 1;
  }
  try {
    app.start();
    await server.listen(config.http.port, config.http.host);
  } catch (error) {
    logger.fatal({ error: errorLogFields(error) }, 'could not start the HTTP server');
    io.stderr.write(`aegispay serve: could not listen on ${config.http.host}:${config.http.port} (${describe(error)}).\n`);
    await closeAfterFailedStart(app, logger);
    return 1;
  }

  if (keys.development) {
    logger.warn(
      { merchantId: DEVELOPMENT_MERCHANT_ID },
      'AEGISPAY_API_KEYS is not set: accepting the development API key from the README, for merchant_demo, on this loopback address only. Set AEGISPAY_API_KEYS before anyone else can reach this server.',
    );
  }
  logger.info({ url: server.url, persistence: config.persistence, gateways: config.gateways, merchants: new Set(keys.keys.values()).size }, `AegisPay API listening on ${server.url}`);
  options.onListening?.(server, app);

  const signals = options.signals ?? process;
  const received = await new Promise<string>((resolve) => {
    const onTerm = (): void => {
      signals.off('SIGINT', onInt);
      resolve('SIGTERM');
    };
    const onInt = (): void => {
      signals.off('SIGTERM', onTerm);
      resolve('SIGINT');
    };
    signals.once('SIGTERM', onTerm);
    signals.once('SIGINT', onInt);
  });
  logger.info({ signal: received }, `${received} received: shutting down gracefully (a second signal stops waiting for in-flight payments)`);
  const impatient = (): void => {
    logger.warn('second signal: in-flight requests stop waiting; recovery completes payments already sent to a gateway');
    server.abortInFlight();
  };
  signals.once('SIGTERM', impatient);
  signals.once('SIGINT', impatient);
  try {
    await server.shutdown();
    return 0;
  } catch (error) {
    logger.error({ error: errorLogFields(error) }, 'shutdown failed');
    return 1;
  } finally {
    signals.off('SIGTERM', impatient);
    signals.off('SIGINT', impatient);
  }
}

/** Stops what a failed start had started; a failure to do so is logged, not swallowed (the start's own error decides the exit code). */
async function closeAfterFailedStart(app: AppContainer, logger: Logger): Promise<void> {
  try {
    await app.close();
  } catch (error) {
    logger.error({ error: errorLogFields(error) }, 'could not close the app after a failed start');
  }
}

interface ServeArguments {
  port?: string;
  host?: string;
  databaseUrl?: string;
  bindings?: string;
  /** The configuration file. */
  config?: string;
}

const ARGUMENTS: Readonly<Record<string, keyof ServeArguments>> = { port: 'port', host: 'host', 'database-url': 'databaseUrl', config: 'config', bindings: 'bindings' };

/** The arguments, `'HELP'`, or a usage error. */
function parseArguments(args: readonly string[]): ServeArguments | 'HELP' | string {
  const parsed: ServeArguments = {};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--help' || arg === '-h') return 'HELP';
    const match = /^--(port|host|database-url|config|bindings)(?:=(.*))?$/.exec(arg);
    if (match === null) return `unknown argument "${arg.slice(0, 40)}"`;
    const name = match[1] as string;
    const value = match[2] ?? args[(index += 1)];
    if (value === undefined || value === '' || (match[2] === undefined && value.startsWith('--'))) return `--${name} needs a value`;
    const key = ARGUMENTS[name] as keyof ServeArguments;
    if (parsed[key] !== undefined) return `--${name} is given twice`;
    parsed[key] = value;
  }
  return parsed;
}

function describe(error: unknown): string {
  return AegisPayError.is(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
}
