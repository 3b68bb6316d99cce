/**
 * `npm run bench -- locking [seconds per comparison, default 4]`: payments per second for the persistence path of one
 * payment — create, then three versioned transitions (start processing; record the approved
 * attempt and capture; a partial refund), each with its outbox row — through @aegispay/typeorm
 * (`TypeOrmPaymentRepository` + `VersionedPaymentService`), against the same SQL run through the
 * raw driver in the same process run: better-sqlite3 always, `pg` when AEGISPAY_TEST_PG_URL is set.
 * Then the throughput of contended updates: 8 writers refunding 1 minor unit of one payment.
 *
 * Both sides do the same domain work (`Payment.create`, the transitions, `toSnapshot`, rehydrating
 * what they read) and issue the same statements: a read of the payment with its attempts and
 * refunds aggregated as JSON, then `BEGIN` / compare-and-swap `UPDATE … WHERE id = ? AND version = ?`
 * / child rows / outbox row / `COMMIT`. The raw side is what a hand-written data layer on the
 * driver would do (prepared statements on SQLite, unnamed parameterised queries on PostgreSQL, as
 * TypeORM sends them). SQLite files use the adapter's defaults on both sides: WAL,
 * `synchronous = FULL`, `busy_timeout = 5000`; each side has its own file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  CryptoIdGenerator,
  Payment,
  SystemClock,
  type DomainEvent,
  type GatewayAttempt,
  type PaymentDependencies,
  type PaymentSnapshot,
  type Refund,
} from '@aegispay/domain';
import { VersionedPaymentService } from '@aegispay/locking';
import { createDataSource, migrate, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { measure, printTable, round } from '../harness';

type DataSource = Awaited<ReturnType<typeof createDataSource>>;

const deps: PaymentDependencies = { clock: new SystemClock(), ids: new CryptoIdGenerator() };
const CONTENDED_WRITERS = 8;
const CONTENDED_UPDATES_PER_WRITER = 50;

function newPayment(): Payment {
  return Payment.create(
    {
      merchantId: 'merchant_bench',
      amount: 12_500,
      currency: 'EUR',
      paymentMethod: { type: 'CARD', token: 'tok_bench' },
      customerId: 'customer_1',
      metadata: { country: 'DE', region: 'EU' },
    },
    deps,
  );
}

const capture = (payment: Payment): void => {
  payment.recordAttempt({ gateway: 'STRIPE', reference: `${payment.id}:1`, outcome: 'APPROVED', latencyMs: 87, gatewayReference: `ch_${payment.id}` });
  payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: `ch_${payment.id}` });
};

/** One payment through our layer: insert, then three read-modify-write transitions. */
async function lifecycleOurs(repository: TypeOrmPaymentRepository, service: VersionedPaymentService): Promise<void> {
  const stored = await repository.insert(newPayment());
  await service.update(stored.id, (payment) => payment.startProcessing());
  await service.update(stored.id, capture);
  await service.update(stored.id, (payment) => void payment.refund({ amount: 2_500, gatewayReference: 're_bench' }));
}

// ---------------------------------------------------------------------------------------------
// The raw baseline: the same SQL, hand-mapped, on the bare driver.

const COLUMNS =
  'id, merchant_id, amount, currency, payment_method_type, payment_method_token, customer_id, description, idempotency_key, status, version, ' +
  'gateway, gateway_reference, failure_code, failure_reason, metadata, created_at, updated_at, next_action';

const SQL = {
  insertPayment: `INSERT INTO payments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertAttempt:
    'INSERT INTO payment_attempts (payment_id, attempt_number, gateway, reference, outcome, gateway_reference, decline_code, decline_type, error_code, latency_ms, at, deadline) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  insertRefund:
    'INSERT INTO payment_refunds (id, payment_id, position, amount, idempotency_key, gateway_reference, reason, created_at, status, reference, gateway, failure_code, deadline, settled_at) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  insertOutbox:
    'INSERT INTO outbox_messages (event_id, aggregate_type, aggregate_id, event_type, payload, occurred_at, created_at, available_at, attempts) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
  cas:
    'UPDATE payments SET merchant_id = ?, amount = ?, currency = ?, payment_method_type = ?, payment_method_token = ?, customer_id = ?, description = ?, ' +
    'idempotency_key = ?, status = ?, version = version + 1, gateway = ?, gateway_reference = ?, failure_code = ?, failure_reason = ?, metadata = ?, ' +
    'created_at = ?, updated_at = ?, next_action = ? WHERE id = ? AND version = ?',
  selectSqlite:
    'SELECT p.*, (SELECT json_group_array(json_array(a.attempt_number, a.gateway, a.reference, a.outcome, a.gateway_reference, a.decline_code, ' +
    'a.decline_type, a.error_code, a.latency_ms, a.at, a.deadline) ORDER BY a.attempt_number) FROM payment_attempts a WHERE a.payment_id = p.id) AS attempts, ' +
    '(SELECT json_group_array(json_array(r.id, r.amount, r.idempotency_key, r.gateway_reference, r.reason, r.created_at, r.status, r.reference, r.gateway, r.failure_code, r.deadline, r.settled_at) ORDER BY r.position) ' +
    'FROM payment_refunds r WHERE r.payment_id = p.id) AS refunds FROM payments p WHERE p.id = ?',
  selectPostgres:
    'SELECT p.*, COALESCE((SELECT json_agg(json_build_array(a.attempt_number, a.gateway, a.reference, a.outcome, a.gateway_reference, a.decline_code, ' +
    "a.decline_type, a.error_code, a.latency_ms, a.at, a.deadline) ORDER BY a.attempt_number) FROM payment_attempts a WHERE a.payment_id = p.id), '[]'::json) AS attempts, " +
    'COALESCE((SELECT json_agg(json_build_array(r.id, r.amount, r.idempotency_key, r.gateway_reference, r.reason, r.created_at, r.status, r.reference, r.gateway, r.failure_code, r.deadline, r.settled_at) ORDER BY r.position) ' +
    "FROM payment_refunds r WHERE r.payment_id = p.id), '[]'::json) AS refunds FROM payments p WHERE p.id = ?",
};

const ms = (iso: string): number => Date.parse(iso);
const iso = (value: unknown): string => new Date(Number(value)).toISOString();

function rowParameters(s: PaymentSnapshot, version: number): unknown[] {
  return [
    s.id, s.merchantId, s.amount, s.currency, s.paymentMethod.type, s.paymentMethod.token, s.customerId, s.description, s.idempotencyKey, s.status,
    version, s.gateway, s.gatewayReference, s.failureCode, s.failureReason, JSON.stringify(s.metadata), ms(s.createdAt), ms(s.updatedAt),
    s.nextAction === null ? null : JSON.stringify(s.nextAction),
  ];
}
const casParameters = (s: PaymentSnapshot, expected: number): unknown[] => [...rowParameters(s, 0).slice(1, 10), ...rowParameters(s, 0).slice(11), s.id, expected];
const attemptRow = (id: string, a: GatewayAttempt): unknown[] => [
  id, a.attemptNumber, a.gateway, a.reference, a.outcome, a.gatewayReference, a.declineCode, a.declineType, a.errorCode, a.latencyMs, ms(a.at), a.deadline,
];
const refundRow = (id: string, position: number, r: Refund): unknown[] => [
  r.id, id, position, r.amount, r.idempotencyKey, r.gatewayReference, r.reason, ms(r.createdAt), r.status, r.reference, r.gateway, r.failureCode, r.deadline,
  r.settledAt === null ? null : ms(r.settledAt),
];
const outboxRow = (e: DomainEvent, now: number): unknown[] => [e.id, e.aggregateType, e.aggregateId, e.type, JSON.stringify(e.payload), ms(e.occurredAt), now, now];

type Row = Record<string, unknown> & { attempts: unknown; refunds: unknown };

function fromRow(row: Row): Payment {
  const attempts = (typeof row.attempts === 'string' ? JSON.parse(row.attempts) : row.attempts) as unknown[][];
  const refunds = (typeof row.refunds === 'string' ? JSON.parse(row.refunds) : row.refunds) as unknown[][];
  return Payment.rehydrate(
    {
      id: row['id'] as string,
      merchantId: row['merchant_id'] as string,
      amount: Number(row['amount']),
      currency: row['currency'] as string,
      paymentMethod: { type: row['payment_method_type'] as 'CARD', token: row['payment_method_token'] as string },
      customerId: row['customer_id'] as string | null,
      description: row['description'] as string | null,
      idempotencyKey: row['idempotency_key'] as string | null,
      status: row['status'] as PaymentSnapshot['status'],
      version: Number(row['version']),
      gateway: row['gateway'] as string | null,
      gatewayReference: row['gateway_reference'] as string | null,
      failureCode: row['failure_code'] as string | null,
      failureReason: row['failure_reason'] as string | null,
      attempts: attempts.map(([n, gateway, reference, outcome, gr, dc, dt, ec, latency, at, deadline]) => ({
        attemptNumber: Number(n), gateway: gateway as string, reference: reference as string, outcome: outcome as GatewayAttempt['outcome'],
        gatewayReference: gr as string | null, declineCode: dc as string | null, declineType: dt as GatewayAttempt['declineType'],
        errorCode: ec as string | null, latencyMs: Number(latency), at: iso(at), deadline: deadline === null ? null : Number(deadline),
      })),
      refunds: refunds.map(([id, amount, key, gr, reason, at, status, reference, gateway, failure, deadline, settled]) => ({
        id: id as string, amount: Number(amount), idempotencyKey: key as string | null, gatewayReference: gr as string | null, reason: reason as string | null, createdAt: iso(at),
        status: status as Refund['status'], reference: reference as string | null, gateway: gateway as string | null, failureCode: failure as string | null,
        deadline: deadline === null ? null : Number(deadline), settledAt: settled === null ? null : iso(settled),
      })),
      nextAction: row['next_action'] === null ? null : (JSON.parse(row['next_action'] as string) as PaymentSnapshot['nextAction']),
      metadata: JSON.parse(row['metadata'] as string) as PaymentSnapshot['metadata'],
      createdAt: iso(row['created_at']),
      updatedAt: iso(row['updated_at']),
    },
    deps,
  );
}

/** The statements of one write, as the driver-specific runner executes them. */
export interface RawDriver {
  read(id: string): Promise<Row | undefined>;
  /** Runs the statements in a transaction; `first` returns the affected rows of the first one. */
  transaction(statements: readonly (readonly [sql: string, params: readonly unknown[]])[]): Promise<number>;
}

export async function lifecycleRaw(driver: RawDriver): Promise<void> {
  const payment = newPayment();
  const s = payment.toSnapshot();
  await driver.transaction([[SQL.insertPayment, rowParameters(s, 1)], ...payment.pullEvents().map((e) => [SQL.insertOutbox, outboxRow(e, Date.now())] as const)]);
  for (const change of [(p: Payment) => p.startProcessing(), capture, (p: Payment) => void p.refund({ amount: 2_500, gatewayReference: 're_bench' })]) {
    const row = await driver.read(s.id);
    if (row === undefined) throw new Error('raw: payment vanished');
    const current = fromRow(row);
    const expected = current.version;
    const before = { attempts: current.attempts.length, refunds: current.refunds.length };
    change(current);
    const after = current.toSnapshot();
    const statements: (readonly [string, readonly unknown[]])[] = [[SQL.cas, casParameters(after, expected)]];
    for (const a of after.attempts.slice(before.attempts)) statements.push([SQL.insertAttempt, attemptRow(s.id, a)]);
    for (let i = before.refunds; i < after.refunds.length; i += 1) statements.push([SQL.insertRefund, refundRow(s.id, i, after.refunds[i] as Refund)]);
    for (const e of current.pullEvents()) statements.push([SQL.insertOutbox, outboxRow(e, Date.now())]);
    if ((await driver.transaction(statements)) !== 1) throw new Error('raw: unexpected conflict');
  }
}

export function rawSqlite(file: string, synchronous: 'FULL' | 'NORMAL'): { driver: RawDriver; close(): void } {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let prepared = cache.get(sql);
    if (prepared === undefined) cache.set(sql, (prepared = db.prepare(sql)));
    return prepared;
  };
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  return {
    driver: {
      read: async (id) => statement(SQL.selectSqlite).get(id) as Row | undefined,
      transaction: async (statements) => {
        begin.run();
        try {
          let first = -1;
          for (const [sql, params] of statements) {
            const changes = statement(sql).run(...params).changes;
            if (first < 0) first = changes;
            if (first === 0) break;
          }
          commit.run();
          return first;
        } catch (error) {
          rollback.run();
          throw error;
        }
      },
    },
    close: () => db.close(),
  };
}

function rawPostgres(client: Client): RawDriver {
  const numbered = new Map<string, string>();
  const text = (sql: string): string => {
    let out = numbered.get(sql);
    if (out === undefined) {
      let i = 0;
      numbered.set(sql, (out = sql.replace(/\?/g, () => `$${(i += 1)}`)));
    }
    return out;
  };
  return {
    read: async (id) => (await client.query<Row>(text(SQL.selectPostgres), [id])).rows[0],
    transaction: async (statements) => {
      await client.query('BEGIN');
      try {
        let first = -1;
        for (const [sql, params] of statements) {
          const changes = (await client.query(text(sql), [...params])).rowCount ?? 0;
          if (first < 0) first = changes;
          if (first === 0) break;
        }
        await client.query('COMMIT');
        return first;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------

export interface Comparison {
  readonly ours: number;
  readonly raw: number;
  /** Median over rounds of ours / raw measured back to back. */
  readonly ratio: number;
  readonly oursMs: number;
  readonly rawMs: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Measures both sides in alternating short rounds (tinybench each time) and takes medians: disk
 * and CPU noise from other processes then hits both sides alike instead of one long run of one.
 */
export async function compare(oursTask: () => Promise<void>, rawTask: () => Promise<void>, totalMs: number): Promise<Comparison> {
  const rounds = 8;
  const each = Math.max(100, totalMs / (2 * rounds));
  await measure({ ours: oursTask, raw: rawTask }, { time: 100, warmupTime: 300, iterations: 8 });
  const oursRuns: { perSecond: number; ms: number }[] = [];
  const rawRuns: { perSecond: number; ms: number }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
    for (const side of order) {
      const result = (await measure({ [side]: side === 'ours' ? oursTask : rawTask }, { time: each, warmupTime: 0, iterations: 8 }))[side];
      (side === 'ours' ? oursRuns : rawRuns).push({ perSecond: result?.opsPerSecond ?? 0, ms: (result?.medianNs ?? 0) / 1e6 });
    }
  }
  return {
    ours: median(oursRuns.map((r) => r.perSecond)),
    raw: median(rawRuns.map((r) => r.perSecond)),
    ratio: median(oursRuns.map((r, i) => r.perSecond / (rawRuns[i]?.perSecond ?? Number.NaN))),
    oursMs: median(oursRuns.map((r) => r.ms)),
    rawMs: median(rawRuns.map((r) => r.ms)),
  };
}

async function ours(dataSource: DataSource): Promise<{ repository: TypeOrmPaymentRepository; service: VersionedPaymentService }> {
  await migrate(dataSource);
  const repository = new TypeOrmPaymentRepository(dataSource, { dependencies: deps });
  return { repository, service: new VersionedPaymentService(repository) };
}

/** 8 writers, each refunding 1 minor unit `CONTENDED_UPDATES_PER_WRITER` times, on one payment; writers share nothing but the database. */
async function contended(sources: readonly DataSource[]): Promise<{ perSecond: number; conflicts: number; attempts: number }> {
  const first = sources[0] as DataSource;
  const payment = newPayment();
  payment.startProcessing();
  capture(payment);
  const stored = await new TypeOrmPaymentRepository(first, { dependencies: deps }).insert(payment);
  const services = sources.map(
    (source) =>
      new VersionedPaymentService(new TypeOrmPaymentRepository(source, { dependencies: deps }), {
        maxRetries: 100,
        initialBackoffMs: 1,
        maxBackoffMs: 50,
        jitter: 'full',
      }),
  );
  const started = performance.now();
  await Promise.all(
    services.map(async (service) => {
      for (let i = 0; i < CONTENDED_UPDATES_PER_WRITER; i += 1) await service.update(stored.id, (p) => void p.refund({ amount: 1 }));
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  const stats = services.map((service) => service.getStats());
  const updates = CONTENDED_WRITERS * CONTENDED_UPDATES_PER_WRITER;
  const final = await new TypeOrmPaymentRepository(first).findById(stored.id);
  if (final?.refunds.length !== updates) throw new Error(`contended: ${final?.refunds.length} refunds stored, ${updates} expected`);
  return {
    perSecond: updates / seconds,
    conflicts: stats.reduce((sum, s) => sum + s.conflicts, 0),
    attempts: stats.reduce((sum, s) => sum + s.attempts, 0),
  };
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  // Measuring time per comparison (both sides together), in seconds.
  const time = Math.max(1_600, Number(args[0] ?? 4) * 1_000 || 4_000);
  const directory = mkdtempSync(join(tmpdir(), 'aegispay-bench-'));
  const rows: Record<string, string | number>[] = [];
  const figures: Record<string, unknown> = { bench: 'locking' };
  try {
    // SQLite: our layer and the raw driver, each on its own file with the same settings.
    const sqliteRound = async (synchronous: 'FULL' | 'NORMAL', totalMs: number): Promise<Comparison & { source: DataSource }> => {
      const source = await createDataSource({ url: `sqlite:${join(directory, `ours-${synchronous}.sqlite`)}`, synchronous });
      const rawFile = join(directory, `raw-${synchronous}.sqlite`);
      const rawSchema = await createDataSource({ url: `sqlite:${rawFile}` });
      await migrate(rawSchema);
      await rawSchema.destroy();
      const raw = rawSqlite(rawFile, synchronous);
      const { repository, service } = await ours(source);
      const comparison = await compare(() => lifecycleOurs(repository, service), () => lifecycleRaw(raw.driver), totalMs);
      raw.close();
      return { ...comparison, source };
    };
    const full = await sqliteRound('FULL', time);
    const oursSqlite = full.source;
    rows.push({ database: 'sqlite (synchronous FULL, default)', path: '@aegispay/typeorm', 'payments/s': round(full.ours, 1), 'median ms': round(full.oursMs, 3) });
    rows.push({ database: 'sqlite (synchronous FULL, default)', path: 'raw better-sqlite3', 'payments/s': round(full.raw, 1), 'median ms': round(full.rawMs, 3) });
    figures['sqlite_tx_per_s'] = round(full.ours, 1);
    figures['sqlite_ratio_vs_raw'] = round(full.ratio, 3);
    figures['sqlite_raw_tx_per_s'] = round(full.raw, 1);
    // Informational: without an fsync per commit the layer's own cost shows more.
    const normal = await sqliteRound('NORMAL', time);
    await normal.source.destroy();
    rows.push({ database: 'sqlite (synchronous NORMAL, info)', path: '@aegispay/typeorm', 'payments/s': round(normal.ours, 1), 'median ms': round(normal.oursMs, 3) });
    rows.push({ database: 'sqlite (synchronous NORMAL, info)', path: 'raw better-sqlite3', 'payments/s': round(normal.raw, 1), 'median ms': round(normal.rawMs, 3) });
    figures['sqlite_normal_tx_per_s'] = round(normal.ours, 1);
    figures['sqlite_normal_ratio_vs_raw'] = round(normal.ratio, 3);

    const url = process.env['AEGISPAY_TEST_PG_URL'];
    figures['pg_tx_per_s'] = null;
    figures['pg_ratio_vs_raw'] = null;
    let pgSources: DataSource[] = [];
    let pgSchema: string | undefined;
    if (url !== undefined && url !== '') {
      pgSchema = `aegispay_bench_${randomBytes(4).toString('hex')}`;
      const oursPg = await createDataSource({ url, schema: pgSchema });
      const pg = await ours(oursPg);
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`SET search_path TO "${pgSchema}"`);
      const rawPg = rawPostgres(client);
      const pgResult = await compare(() => lifecycleOurs(pg.repository, pg.service), () => lifecycleRaw(rawPg), time);
      rows.push({ database: 'postgres', path: '@aegispay/typeorm', 'payments/s': round(pgResult.ours, 1), 'median ms': round(pgResult.oursMs, 3) });
      rows.push({ database: 'postgres', path: 'raw pg', 'payments/s': round(pgResult.raw, 1), 'median ms': round(pgResult.rawMs, 3) });
      figures['pg_tx_per_s'] = round(pgResult.ours, 1);
      figures['pg_ratio_vs_raw'] = round(pgResult.ratio, 3);
      figures['pg_raw_tx_per_s'] = round(pgResult.raw, 1);
      await client.end();
      pgSources = [oursPg, ...(await Promise.all(Array.from({ length: CONTENDED_WRITERS - 1 }, () => createDataSource({ url, schema: pgSchema as string, poolSize: 1 }))))];
    }
    printTable('create + 3 versioned transitions with outbox rows, one writer', rows);

    // Contended: 8 async writers on one SQLite data source (one connection per process: they take turns on it).
    const sqliteContended = await contended(Array.from({ length: CONTENDED_WRITERS }, () => oursSqlite));
    const contendedRows: Record<string, string | number>[] = [
      { database: 'sqlite, 8 writers in one process', 'updates/s': round(sqliteContended.perSecond, 1), conflicts: sqliteContended.conflicts, attempts: sqliteContended.attempts },
    ];
    figures['contended_updates_per_s'] = round(sqliteContended.perSecond, 1);
    figures['contended_conflicts'] = sqliteContended.conflicts;
    await oursSqlite.destroy();
    if (pgSources.length > 0) {
      const pgContended = await contended(pgSources);
      contendedRows.push({ database: 'postgres, 8 connections', 'updates/s': round(pgContended.perSecond, 1), conflicts: pgContended.conflicts, attempts: pgContended.attempts });
      figures['pg_contended_updates_per_s'] = round(pgContended.perSecond, 1);
      figures['pg_contended_conflicts'] = pgContended.conflicts;
      await (pgSources[0] as DataSource).query(`DROP SCHEMA "${pgSchema as string}" CASCADE`);
      await Promise.all(pgSources.map((source) => source.destroy()));
    }
    printTable(`contended read-modify-write: ${CONTENDED_WRITERS} writers × ${CONTENDED_UPDATES_PER_WRITER} refunds of one payment`, contendedRows);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return figures;
}
