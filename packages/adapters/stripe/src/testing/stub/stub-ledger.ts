import Database from 'better-sqlite3';
import type { StubObject } from './stub-objects';

/** A response saved under an idempotency key. */
export interface SavedResponse {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly createdMs: number;
}

/** A PaymentIntent as the stub keeps it: the object, and what only the stub needs to know. */
export interface StoredPaymentIntent {
  readonly object: StubObject;
  readonly idempotencyKey: string | null;
  readonly returnUrl: string | null;
}

/** A webhook event and its delivery state. */
export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly body: string;
  readonly deliveredMs: number | null;
  readonly attempts: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS payment_intents (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT,
  return_url TEXT,
  created_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_intents_by_key ON payment_intents (idempotency_key);
CREATE TABLE IF NOT EXISTS refunds (
  id TEXT PRIMARY KEY,
  payment_intent TEXT NOT NULL,
  idempotency_key TEXT,
  created_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refunds_by_payment_intent ON refunds (payment_intent);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  delivered_ms INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0
);
`;

interface Row {
  body: string;
}

/**
 * The stub's durable state in one SQLite file (WAL): PaymentIntents, Refunds, saved idempotent
 * responses and webhook events. Every change a request makes is written in one transaction with the
 * response saved under its key, so a crash leaves either both or neither, and a restarted stub
 * (or a new one on the same file) answers exactly as before.
 */
export class StubLedger {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    // In WAL mode, NORMAL loses no committed transaction when a process dies (SIGKILL included);
    // only an operating-system crash may lose the last ones, which a test stub can afford.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  savedResponse(key: string): SavedResponse | undefined {
    const row = this.db.prepare('SELECT fingerprint, status, headers, body, created_ms FROM idempotency_keys WHERE key = ?').get(key) as
      | { fingerprint: string; status: number; headers: string; body: string; created_ms: number }
      | undefined;
    if (row === undefined) return undefined;
    return { fingerprint: row.fingerprint, status: row.status, body: row.body, headers: JSON.parse(row.headers) as Record<string, string>, createdMs: row.created_ms };
  }

  saveResponse(key: string, response: SavedResponse): void {
    this.db
      .prepare('INSERT OR REPLACE INTO idempotency_keys (key, fingerprint, status, headers, body, created_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, response.fingerprint, response.status, JSON.stringify(response.headers), response.body, response.createdMs);
  }

  /** Forgets the responses saved before `beforeMs` (Stripe prunes keys after 24 hours). */
  forgetResponsesBefore(beforeMs: number): void {
    this.db.prepare('DELETE FROM idempotency_keys WHERE created_ms < ?').run(beforeMs);
  }

  insertPaymentIntent(object: StubObject, idempotencyKey: string | null, returnUrl: string | null, createdMs: number): void {
    this.db
      .prepare('INSERT INTO payment_intents (id, idempotency_key, return_url, created_ms, body) VALUES (?, ?, ?, ?, ?)')
      .run(object['id'], idempotencyKey, returnUrl, createdMs, JSON.stringify(object));
  }

  updatePaymentIntent(object: StubObject): void {
    this.db.prepare('UPDATE payment_intents SET body = ? WHERE id = ?').run(JSON.stringify(object), object['id']);
  }

  paymentIntent(id: string): StoredPaymentIntent | undefined {
    const row = this.db.prepare('SELECT body, idempotency_key, return_url FROM payment_intents WHERE id = ?').get(id) as
      | { body: string; idempotency_key: string | null; return_url: string | null }
      | undefined;
    return row === undefined ? undefined : { object: JSON.parse(row.body) as StubObject, idempotencyKey: row.idempotency_key, returnUrl: row.return_url };
  }

  /** PaymentIntents in creation order, optionally only those created under `idempotencyKey`. */
  paymentIntents(idempotencyKey?: string): StoredPaymentIntent[] {
    const columns = 'SELECT body, idempotency_key, return_url FROM payment_intents';
    const rows = (
      idempotencyKey === undefined
        ? this.db.prepare(`${columns} ORDER BY created_ms, rowid`).all()
        : this.db.prepare(`${columns} WHERE idempotency_key = ? ORDER BY created_ms, rowid`).all(idempotencyKey)
    ) as { body: string; idempotency_key: string | null; return_url: string | null }[];
    return rows.map((row) => ({ object: JSON.parse(row.body) as StubObject, idempotencyKey: row.idempotency_key, returnUrl: row.return_url }));
  }

  insertRefund(object: StubObject, idempotencyKey: string | null, createdMs: number): void {
    this.db
      .prepare('INSERT INTO refunds (id, payment_intent, idempotency_key, created_ms, body) VALUES (?, ?, ?, ?, ?)')
      .run(object['id'], object['payment_intent'], idempotencyKey, createdMs, JSON.stringify(object));
  }

  updateRefund(object: StubObject): void {
    this.db.prepare('UPDATE refunds SET body = ? WHERE id = ?').run(JSON.stringify(object), object['id']);
  }

  refund(id: string): StubObject | undefined {
    const row = this.db.prepare('SELECT body FROM refunds WHERE id = ?').get(id) as Row | undefined;
    return row === undefined ? undefined : (JSON.parse(row.body) as StubObject);
  }

  /** Refunds of the PaymentIntent `paymentIntentId`, in creation order. */
  refundsOf(paymentIntentId: string): StubObject[] {
    const rows = this.db.prepare('SELECT body FROM refunds WHERE payment_intent = ? ORDER BY created_ms, rowid').all(paymentIntentId) as Row[];
    return rows.map((row) => JSON.parse(row.body) as StubObject);
  }

  insertEvent(id: string, type: string, body: string, createdMs: number): void {
    this.db.prepare('INSERT INTO events (id, type, body, created_ms) VALUES (?, ?, ?, ?)').run(id, type, body, createdMs);
  }

  /** Events in the order they happened; only undelivered ones when `undelivered`. */
  events(undelivered = false): StoredEvent[] {
    const sql = `SELECT id, type, body, delivered_ms, attempts FROM events ${undelivered ? 'WHERE delivered_ms IS NULL' : ''} ORDER BY seq`;
    const rows = this.db.prepare(sql).all() as { id: string; type: string; body: string; delivered_ms: number | null; attempts: number }[];
    return rows.map((row) => ({ id: row.id, type: row.type, body: row.body, deliveredMs: row.delivered_ms, attempts: row.attempts }));
  }

  event(id: string): StoredEvent | undefined {
    return this.events().find((event) => event.id === id);
  }

  recordDelivery(id: string, deliveredMs: number | null): void {
    this.db.prepare('UPDATE events SET attempts = attempts + 1, delivered_ms = COALESCE(?, delivered_ms) WHERE id = ?').run(deliveredMs, id);
  }

  close(): void {
    this.db.close();
  }
}
