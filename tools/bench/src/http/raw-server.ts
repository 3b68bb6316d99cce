/**
 * The raw baseline of the HTTP benchmark, run as its own process beside the AegisPay server:
 * `node:http` and the bare driver, one INSERT of a payment row per `POST /v1/payments`, with the
 * durability AegisPay's database has (SQLite: WAL, `synchronous = FULL`, `busy_timeout`; PostgreSQL:
 * the server's `synchronous_commit`, a pool of the adapter's default size). It does what any
 * payment endpoint must at the least: checks that a bearer key and an `Idempotency-Key` are there,
 * parses the JSON body, stores one row with the key under a unique index, answers `201` with the
 * payment as JSON. No validation, routing, gateway, outbox or idempotency protocol: the floor.
 *
 * Configured by environment (set by `http-servers.ts`):
 * `RAW_DATABASE_URL` (`sqlite:<file>` or `postgres://…`), `RAW_PG_SCHEMA`, `RAW_PG_POOL_SIZE`, `RAW_PORT`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { Pool } from 'pg';

/** The columns of AegisPay's `payments` table, so the row written is the same width. */
const COLUMNS = [
  'id', 'merchant_id', 'amount', 'currency', 'payment_method_type', 'payment_method_token', 'customer_id', 'description',
  'idempotency_key', 'status', 'version', 'gateway', 'gateway_reference', 'failure_code', 'failure_reason', 'metadata', 'created_at', 'updated_at',
] as const;

function ddl(table: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (id varchar(128) PRIMARY KEY NOT NULL, merchant_id varchar(64) NOT NULL, amount bigint NOT NULL, currency varchar(3) NOT NULL, ` +
      'payment_method_type varchar(20) NOT NULL, payment_method_token varchar(256) NOT NULL, customer_id varchar(64), description text, idempotency_key varchar(255), ' +
      'status varchar(20) NOT NULL, version integer NOT NULL, gateway varchar(64), gateway_reference varchar(255), failure_code varchar(100), failure_reason text, ' +
      'metadata text NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL)',
    `CREATE UNIQUE INDEX IF NOT EXISTS uq_raw_payments_merchant_key ON ${table} (merchant_id, idempotency_key)`,
    `CREATE INDEX IF NOT EXISTS ix_raw_payments_status_updated_at ON ${table} (status, updated_at)`,
  ];
}

type Row = readonly (string | number | null)[];
type Insert = (row: Row) => Promise<void>;

async function openDatabase(url: string): Promise<{ insert: Insert; close(): Promise<void> }> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    for (const statement of ddl('payments')) db.exec(statement);
    const statement = db.prepare(`INSERT INTO payments (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    return {
      insert: async (row) => {
        statement.run(...row);
      },
      close: async () => {
        db.close();
      },
    };
  }
  const schema = process.env['RAW_PG_SCHEMA'] ?? 'public';
  const pool = new Pool({ connectionString: url, max: Number(process.env['RAW_PG_POOL_SIZE'] ?? 10) });
  for (const statement of ddl(`"${schema}".payments`)) await pool.query(statement);
  const text = `INSERT INTO "${schema}".payments (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
  return {
    insert: async (row) => {
      await pool.query({ name: 'raw_insert_payment', text, values: row as (string | number | null)[] });
    },
    close: () => pool.end(),
  };
}

interface PaymentBody {
  amount: number;
  currency: string;
  paymentMethod: { type: string; token: string };
  customerId?: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

async function main(): Promise<void> {
  const url = process.env['RAW_DATABASE_URL'];
  if (url === undefined) throw new Error('RAW_DATABASE_URL is required');
  const database = await openDatabase(url);
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/healthz') return answer(response, 200, { status: 'ok' });
    if (request.method !== 'POST' || request.url !== '/v1/payments') return answer(response, 404, { code: 'HTTP.NOT_FOUND' });
    const authorization = request.headers['authorization'];
    const key = request.headers['idempotency-key'];
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return answer(response, 401, { code: 'AUTH.MISSING_CREDENTIALS' });
    if (typeof key !== 'string' || key === '') return answer(response, 400, { code: 'IDEMPOTENCY.KEY_MISSING' });
    readBody(request)
      .then(async (text) => {
        const body = JSON.parse(text) as PaymentBody;
        const now = Date.now();
        const payment = {
          id: `pay_${randomUUID()}`,
          merchantId: 'merchant_bench',
          status: 'PAID',
          amount: body.amount,
          currency: body.currency,
          paymentMethod: { type: body.paymentMethod.type },
          idempotencyKey: key,
          metadata: body.metadata ?? {},
          version: 1,
          createdAt: new Date(now).toISOString(),
        };
        await database.insert([
          payment.id, payment.merchantId, body.amount, body.currency, body.paymentMethod.type, body.paymentMethod.token, body.customerId ?? null,
          body.description ?? null, key, payment.status, 1, null, null, null, null, JSON.stringify(payment.metadata), now, now,
        ]);
        answer(response, 201, { outcome: 'SUCCEEDED', payment });
      })
      .catch((error: unknown) => answer(response, 500, { code: 'SERVER.INTERNAL_ERROR', detail: String(error) }));
  });
  server.keepAliveTimeout = 5_000;
  server.listen(Number(process.env['RAW_PORT'] ?? 0), '127.0.0.1');
  const stop = (): void => {
    server.close(() => void database.close());
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
