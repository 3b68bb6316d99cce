import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FakeClock } from '@aegispay/domain/testing';
import { ContainerModule } from 'inversify';
import request from 'supertest';
import type { CliIo } from './cli-command';
import { AppRuntime } from '../composition/app-runtime';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody } from '../http/__fixtures__/api-harness';
import { DEVELOPMENT_API_KEY } from '../http/development-api-key';
import type { HttpServer } from '../http/http-server';
import { createServeCommand, serveCommand, type SignalSource } from './serve.command';

interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

function captureIo(env: Record<string, string>): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return { stdout, stderr, env, out: () => Buffer.concat(out).toString('utf8'), err: () => Buffer.concat(err).toString('utf8') };
}

/** Runs `work` with a port another server holds on 127.0.0.1, freed afterwards. */
async function withTakenPort<T>(work: (port: number) => Promise<T>): Promise<T> {
  const blocker = await new Promise<Server>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
  try {
    return await work((blocker.address() as AddressInfo).port);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
}

describe('serveCommand', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-serve-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function env(extra: Record<string, string> = {}): Record<string, string> {
    return { AEGISPAY_DATABASE_URL: `sqlite:${join(directory, 'aegispay.sqlite')}`, AEGISPAY_ZERO_LATENCY: 'true', AEGISPAY_SEED: '3', ...extra };
  }

  describe('.run', () => {
    describe('when asked for help', () => {
      it('should print the usage and exit 0', async () => {
        const io = captureIo(env());

        const code = await serveCommand.run(['--help'], io);

        expect(code).toBe(0);
        expect(io.out()).toContain('Usage: aegispay serve [--port <n>] [--host <address>]');
      });
    });

    describe('when an argument is unknown or lacks its value', () => {
      it.each([[['--verbose']], [['--port']], [['--host=']], [['--port', '--host', '127.0.0.1']], [['--port', '1', '--port=2']]])('should exit 2 with the usage for %j', async (args) => {
        const io = captureIo(env());

        const code = await serveCommand.run(args, io);

        expect(code).toBe(2);
        expect(io.err()).toMatch(/^aegispay serve: (unknown argument "--verbose"|--port needs a value|--host needs a value|--port is given twice)/);
        expect(io.err()).toContain('Usage:');
      });
    });

    describe('when given --config and --database-url, as the other commands are', () => {
      it('should read the file and the URL, naming each in its problems', async () => {
        const file = join(directory, 'aegispay.json');
        writeFileSync(file, JSON.stringify({ logLevel: 'loud' }));
        const io = captureIo(env());

        const code = await serveCommand.run(['--config', file, '--database-url=mysql://localhost/db'], io);

        expect(code).toBe(2);
        expect(io.err()).toContain(`${file} → logLevel: must be one of`);
        expect(io.err()).toContain('option databaseUrl: must be sqlite:<file> or postgres://');
      });
    });

    describe('when the configuration is invalid', () => {
      it('should exit 2 naming every bad value and where it came from', async () => {
        const io = captureIo(env({ AEGISPAY_LOG_LEVEL: 'loud' }));

        const code = await serveCommand.run(['--port', '70000'], io);

        expect(code).toBe(2);
        expect(io.err()).toContain('option port: must be at most 65535');
        expect(io.err()).toContain('AEGISPAY_LOG_LEVEL: must be one of');
      });
    });

    describe('when a setting is refused by the component it configures', () => {
      it('should exit 2 naming the variable, as for any other bad value', async () => {
        const io = captureIo(env({ AEGISPAY_STUCK_AFTER_MS: '1000' }));

        const code = await serveCommand.run(['--port', '0'], io);

        expect(code).toBe(2);
        expect(io.err()).toMatch(/^aegispay serve: Invalid configuration:\n {2}- AEGISPAY_STUCK_AFTER_MS: stuckAfterMs must exceed .* \(got 1000\)\./);
      });
    });

    describe('when no API key is configured in production', () => {
      it('should refuse to start (exit 2) instead of falling back to the development key', async () => {
        const io = captureIo(env({ NODE_ENV: 'production' }));

        const code = await serveCommand.run(['--port', '0'], io);

        expect(code).toBe(2);
        expect(io.err()).toContain('AEGISPAY_API_KEYS: no API key is configured and NODE_ENV is production');
      });
    });

    describe('when started and then sent SIGTERM', () => {
      it('should migrate, start the loops, serve with the development key, then shut down gracefully and exit 0', async () => {
        const io = captureIo(env());
        const signals = new EventEmitter();
        let listening!: (server: HttpServer) => void;
        const started = new Promise<HttpServer>((resolve) => (listening = resolve));
        let loopsRunningWhileServing = false;
        const command = createServeCommand({
          signals: signals as SignalSource,
          container: { clock: new FakeClock() },
          onListening: (server, app) => {
            loopsRunningWhileServing = app.get(TOKENS.PaymentRecovery).isRunning && app.get(TOKENS.OutboxRelay).isRunning;
            listening(server);
          },
        });

        const run = command.run(['--port', '0', '--host=127.0.0.1'], io);
        const server = await started;
        const payment = await request(server.url)
          .post('/v1/payments')
          .set('Authorization', `Bearer ${DEVELOPMENT_API_KEY}`)
          .set('Idempotency-Key', 'serve-test-1')
          .send(aPaymentBody());
        signals.emit('SIGTERM');
        const code = await run;

        expect(payment.status).toBe(201);
        expect(payment.body.payment.merchantId).toBe('merchant_demo');
        expect(loopsRunningWhileServing).toBe(true);
        expect(code).toBe(0);
        expect(server.state).toBe('CLOSED');
        expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
        const logs = io.out();
        expect(logs).toContain(`"msg":"AegisPay API listening on ${server.url}"`);
        expect(logs).toContain('AEGISPAY_API_KEYS is not set: accepting the development API key');
        expect(logs).toContain('SIGTERM received: shutting down gracefully');
        expect(logs).toContain('stopped: loops stopped and database closed');
        expect(logs).not.toContain(DEVELOPMENT_API_KEY);
        expect(logs).not.toContain('tok_visa_test_4242');
      });
    });

    describe('when the app cannot be composed', () => {
      it('should exit 1 saying so, not that it could not listen', async () => {
        const broken = new ContainerModule(({ rebindSync }) => {
          rebindSync(TOKENS.PaymentGateways).toDynamicValue(() => {
            throw new Error('no gateway could be built');
          });
        });
        const io = captureIo(env());

        const code = await createServeCommand({ container: { clock: new FakeClock(), modules: [broken] } }).run(['--port', '0'], io);

        expect(code).toBe(1);
        expect(io.err()).toBe('aegispay serve: could not start the app: open and migrate the database, compose the payment services (no gateway could be built).\n');
      });
    });

    describe('when a bindings module cannot be loaded', () => {
      it('should exit 2 naming it, before opening anything', async () => {
        const io = captureIo(env());

        const code = await createServeCommand({ container: { clock: new FakeClock() } }).run(['--port', '0', '--bindings', join(directory, 'missing.js')], io);

        expect(code).toBe(2);
        expect(io.err()).toContain(`AEGISPAY_BINDINGS / --bindings: "${join(directory, 'missing.js')}" cannot be loaded`);
      });
    });

    describe('when the port is taken and the app then fails to close', () => {
      it('should exit 1 and log the failure to close, not swallow it', async () => {
        const stuck = { isRunning: true, start: () => undefined, stop: () => Promise.reject(new Error('relay stuck')) };
        const failingClose = new ContainerModule(({ rebindSync }) => {
          rebindSync(TOKENS.Runtime)
            .toResolvedValue((dataSource) => new AppRuntime({ loops: { outboxRelay: stuck }, dataSource }), [TOKENS.DataSource])
            .inSingletonScope();
        });
        const io = captureIo(env());

        const code = await withTakenPort((port) => createServeCommand({ container: { clock: new FakeClock(), modules: [failingClose] } }).run(['--port', String(port)], io));

        expect(code).toBe(1);
        const logged = io.out().split('\n').filter((line) => line.includes('could not close the app after a failed start'));
        expect(logged).toHaveLength(1);
        expect(JSON.parse(logged[0] as string)).toMatchObject({ level: 50, error: { code: 'APP.CLOSE_FAILED', message: 'The app did not close cleanly: loop outboxRelay (relay stuck).' } });
      });
    });

    describe('when the port is taken', () => {
      it('should exit 1 saying it could not listen', async () => {
        const io = captureIo(env());
        let taken = 0;

        const code = await withTakenPort((port) => {
          taken = port;
          return createServeCommand({ container: { clock: new FakeClock() } }).run(['--port', String(port)], io);
        });

        expect(code).toBe(1);
        expect(io.err()).toContain(`could not listen on 127.0.0.1:${taken}`);
      });
    });
  });
});
