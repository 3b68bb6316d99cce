import type { PaymentGateway } from '@aegispay/domain';
import { deferred, FakeClock } from '@aegispay/domain/testing';
import { createSimulatedGateways, type SimulatedGateway } from '@aegispay/gateways';
import type { SqlDialect } from '@aegispay/typeorm';
import { createTestDatabase, type TestDatabase } from '@aegispay/typeorm/testing';
import { ContainerModule } from 'inversify';
import request from 'supertest';
import { createAppContainer, type AppContainer } from '../../composition/app-container';
import { TOKENS } from '../../composition/tokens';
import { loadConfig } from '../../config/app-config';
import { isSimulatedAcquirer } from '../../config/gateway-names';
import { createAppLogger } from '../../logging/app-logger';
import type { HttpServer } from '../http-server';
import { httpModule } from '../http.module';
import { HTTP_TOKENS } from '../http.tokens';

/** Two merchants with their API keys. */
export const MERCHANT_A = Object.freeze({ key: 'sk_test_merchant_a_0001', merchantId: 'merchant_a' });
export const MERCHANT_B = Object.freeze({ key: 'sk_test_merchant_b_0002', merchantId: 'merchant_b' });

export { testDialects } from '@aegispay/typeorm/testing';

/** A valid payment body, 19.99 EUR by card. */
export function aPaymentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { amount: 1999, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_visa_test_4242' }, ...overrides };
}

/** Options of {@link startApi}. */
export interface ApiHarnessOptions {
  /** Defaults to 16 384. */
  readonly bodyLimitBytes?: number;
  /** Wraps the (always approving, zero-latency) simulated acquirers, e.g. in a {@link GatedGateway}. */
  readonly wrapGateways?: (gateways: readonly SimulatedGateway[]) => readonly PaymentGateway[];
  /** Defaults to 30 000 ms (of the harness's fake clock). */
  readonly shutdownGraceMs?: number;
  /** API key → merchant. Defaults to {@link MERCHANT_A} and {@link MERCHANT_B}. */
  readonly apiKeys?: Readonly<Record<string, string>>;
  /** Start the recovery and outbox relay loops (on the fake clock). Defaults to true. */
  readonly startLoops?: boolean;
  /** The server's clock, when a test shares it with something else (a PSP stub). Defaults to a new {@link apiTestClock}. */
  readonly clock?: FakeClock;
  /** More bindings, applied last (e.g. real connectors as `TOKENS.PaymentGateways` and their `TOKENS.WebhookVerifiers`). */
  readonly modules?: readonly ContainerModule[];
  /** More settings, by file key (`natsUrl`, …). Defaults to none. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** A running API on a private database, with what tests inspect. */
export interface ApiHarness {
  readonly url: string;
  readonly app: AppContainer;
  readonly server: HttpServer;
  readonly clock: FakeClock;
  readonly database: TestDatabase;
  /** Everything the server logged, one JSON object per line. */
  logs(): string;
  /** A supertest client for the server. */
  http(): ReturnType<typeof request>;
  /** Rows of an AegisPay table. */
  count(table: 'payments' | 'idempotency_keys' | 'payment_refunds' | 'outbox_messages'): Promise<number>;
  /** Charges in the ledgers of all simulated acquirers (the outside world's truth). */
  charges(): number;
  /** Refunds in the ledgers of all simulated acquirers. */
  gatewayRefunds(): number;
  /** Shuts the server down gracefully and disposes of the database. */
  stop(): Promise<void>;
}

/**
 * A fake clock whose waits pass: a request that waits (an optimistic-lock conflict's backoff
 * between two writers of one payment) moves the clock by what it waits, at once, instead of
 * hanging on a clock that only the test moves. Nothing else moves it.
 */
export class RequestTimeClock extends FakeClock {
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const slept = super.sleep(ms, signal);
    if (ms > 0) setImmediate(() => void this.advance(Math.ceil(ms)));
    return slept;
  }
}

/** The clock {@link startApi} runs on by default: a fake clock whose waits pass (see {@link RequestTimeClock}). */
export function apiTestClock(start?: number): FakeClock {
  return new RequestTimeClock(start);
}

/**
 * Starts the real API (real Nest server on a free port, real TypeORM database) over the app's
 * own composition, with two merchants, gateways that approve everything at once unless the token
 * is `tok_decline_<code>`, and a fake clock that moves only when the test moves it or a request
 * waits (see {@link RequestTimeClock}).
 */
export async function startApi(dialect: SqlDialect, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const database = await createTestDatabase(dialect);
  const { url, schema } = database.connection;
  const databaseUrl = schema === undefined ? (url as string) : `${url as string}${(url as string).includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const config = loadConfig({
    env: {},
    overrides: {
      databaseUrl,
      zeroLatency: true,
      seed: 7,
      apiKeys: options.apiKeys ?? { [MERCHANT_A.key]: MERCHANT_A.merchantId, [MERCHANT_B.key]: MERCHANT_B.merchantId },
      ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
      ...options.settings,
    },
  });
  const clock = options.clock ?? new RequestTimeClock();
  const approving = new ContainerModule(({ rebindSync }) => {
    rebindSync(TOKENS.SimulatedGateways)
      .toResolvedValue(
        (random, ids) => {
          const perfect = { approvalRate: 1, technicalFailureRate: 0 };
          const all = createSimulatedGateways({ clock, random, ids, zeroLatency: true, profiles: { STRIPE: perfect, PAYPAL: perfect, SQUARE: perfect, ADYEN: perfect } });
          return Object.freeze(config.gateways.filter(isSimulatedAcquirer).map((name) => all[name] as SimulatedGateway));
        },
        [TOKENS.Random, TOKENS.IdGenerator],
      )
      .inSingletonScope();
    const wrap = options.wrapGateways;
    if (wrap !== undefined) {
      rebindSync(TOKENS.PaymentGateways)
        .toResolvedValue((simulated) => Object.freeze(wrap(simulated)), [TOKENS.SimulatedGateways])
        .inSingletonScope();
    }
  });
  const lines: string[] = [];
  const logger = createAppLogger('info', { write: (line: string) => void lines.push(line) }, 'aegispay-api');
  const app = await createAppContainer(config, { clock, logger, modules: [httpModule({ shutdownGraceMs: options.shutdownGraceMs ?? 30_000 }), approving, ...(options.modules ?? [])] });
  const server = await app.getAsync(HTTP_TOKENS.HttpServer);
  if (options.startLoops ?? true) app.start();
  const address = await server.listen(0, '127.0.0.1');
  const simulated = app.get(TOKENS.SimulatedGateways);
  return {
    url: address,
    app,
    server,
    clock,
    database,
    logs: () => lines.join(''),
    http: () => request(address),
    async count(table) {
      // Through the test database's own connection: it outlives the app's, closed by a shutdown.
      const name = schema === undefined ? table : `"${schema}".${table}`;
      const rows = (await database.dataSource.query(`SELECT COUNT(*) AS n FROM ${name}`)) as { n: number | string }[];
      return Number(rows[0]?.n);
    },
    charges: () => simulated.reduce((sum, gateway) => sum + gateway.getLedger().length, 0),
    gatewayRefunds: () => simulated.reduce((sum, gateway) => sum + gateway.getLedger().reduce((inner, entry) => inner + entry.refunds.length, 0), 0),
    async stop() {
      try {
        await server.shutdown();
      } finally {
        await database.dispose();
      }
    },
  };
}

/** Holds calls while closed (it starts closed); `entered` resolves when a call is waiting. */
export class Gate {
  private gate = deferred<void>();
  private arrival = deferred<void>();
  private opened = false;
  /** Calls that reached the gate. */
  calls = 0;

  get entered(): Promise<void> {
    return this.arrival.promise;
  }

  open(): void {
    this.opened = true;
    this.gate.resolve();
  }

  /** Closes the gate again: later calls wait for the next `open()`. */
  close(): void {
    this.opened = false;
    this.gate = deferred<void>();
    this.arrival = deferred<void>();
  }

  async pass(): Promise<void> {
    this.calls += 1;
    if (this.opened) return;
    const gate = this.gate.promise;
    this.arrival.resolve();
    await gate;
  }
}

/** A gateway whose charges and refunds wait at a {@link Gate}: the request is in flight for as long as the test wants. */
export class GatedGateway implements PaymentGateway {
  constructor(
    private readonly inner: PaymentGateway,
    private readonly gate: Gate,
  ) {}

  get name(): PaymentGateway['name'] {
    return this.inner.name;
  }

  async charge(...args: Parameters<PaymentGateway['charge']>): ReturnType<PaymentGateway['charge']> {
    await this.gate.pass();
    return this.inner.charge(...args);
  }

  async refund(...args: Parameters<PaymentGateway['refund']>): ReturnType<PaymentGateway['refund']> {
    await this.gate.pass();
    return this.inner.refund(...args);
  }

  getStatus(...args: Parameters<PaymentGateway['getStatus']>): ReturnType<PaymentGateway['getStatus']> {
    return this.inner.getStatus(...args);
  }

  getRefundStatus(...args: Parameters<PaymentGateway['getRefundStatus']>): ReturnType<PaymentGateway['getRefundStatus']> {
    return this.inner.getRefundStatus(...args);
  }
}
