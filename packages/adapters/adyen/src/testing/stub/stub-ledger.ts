import Database from 'better-sqlite3';

/** A payment the stub made, as its ledger holds it. */
export interface StubPayment {
  readonly pspReference: string;
  readonly merchantReference: string;
  readonly idempotencyKey: string | null;
  readonly amountValue: number;
  readonly currency: string;
  readonly shopperReference: string;
  readonly storedPaymentMethodId: string;
  /** The payment's current resultCode (`Authorised` once a pending or challenged payment is resolved). */
  readonly resultCode: string;
  readonly refusalReason: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: number;
}

/** A refund the stub received, with how it settled. */
export interface StubRefund {
  readonly pspReference: string;
  readonly paymentPspReference: string;
  readonly merchantReference: string;
  readonly amountValue: number;
  readonly currency: string;
  /** `REFUNDED`, `FAILED` (refused when received) or `REVERSED` (REFUND_FAILED after success). */
  readonly outcome: 'REFUNDED' | 'FAILED' | 'REVERSED';
  readonly reason: string | null;
  readonly createdAt: number;
}

/** A stored payment method registered on the stub (the built-in test methods are not stored). */
export interface StubStoredMethod {
  readonly id: string;
  readonly shopperReference: string;
  readonly holderName: string;
}

/** A webhook the stub queued, delivered or not. */
export interface StubNotificationRecord {
  readonly id: number;
  readonly body: string;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** The stored answer of an idempotency key. */
export interface StubStoredAnswer {
  readonly status: number;
  readonly body: string;
}

interface PaymentRow {
  psp_reference: string;
  merchant_reference: string;
  idempotency_key: string | null;
  amount_value: number;
  currency: string;
  shopper_reference: string;
  stored_payment_method_id: string;
  result_code: string;
  refusal_reason: string | null;
  metadata_json: string;
  created_at: number;
}

interface RefundRow {
  psp_reference: string;
  payment_psp_reference: string;
  merchant_reference: string;
  amount_value: number;
  currency: string;
  outcome: 'REFUNDED' | 'FAILED' | 'REVERSED';
  reason: string | null;
  created_at: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS payments (
    psp_reference TEXT PRIMARY KEY, merchant_reference TEXT NOT NULL, idempotency_key TEXT,
    amount_value INTEGER NOT NULL, currency TEXT NOT NULL, shopper_reference TEXT NOT NULL,
    stored_payment_method_id TEXT NOT NULL, result_code TEXT NOT NULL, refusal_reason TEXT,
    metadata_json TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS payments_by_reference ON payments (merchant_reference);
  CREATE TABLE IF NOT EXISTS refunds (
    psp_reference TEXT PRIMARY KEY, payment_psp_reference TEXT NOT NULL, merchant_reference TEXT NOT NULL,
    amount_value INTEGER NOT NULL, currency TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT, created_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS refunds_by_payment ON refunds (payment_psp_reference);
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    key TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS stored_payment_methods (
    id TEXT PRIMARY KEY, shopper_reference TEXT NOT NULL, holder_name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, created_at INTEGER NOT NULL,
    delivered_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
`;

/**
 * The stub's durable ledger: one SQLite file (WAL) holding payments, refunds, idempotency keys,
 * registered stored payment methods and the webhook queue. Every answer the stub gives is
 * committed here first, in one transaction with what it records, so a stub killed at any moment
 * and started again on the same file knows exactly what it did.
 */
export class StubLedger {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    // WAL with synchronous NORMAL: every commit survives a crash or SIGKILL of the stub (only a power
    // loss of the machine could roll back the last ones), without an fsync per answer.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`BEGIN; ${SCHEMA} COMMIT;`);
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  storedAnswer(key: string): StubStoredAnswer | undefined {
    return this.#db.prepare('SELECT status, body FROM idempotency_keys WHERE key = ?').get(key) as StubStoredAnswer | undefined;
  }

  storeAnswer(key: string, answer: StubStoredAnswer, now: number): void {
    this.#db.prepare('INSERT INTO idempotency_keys (key, status, body, created_at) VALUES (?, ?, ?, ?)').run(key, answer.status, answer.body, now);
  }

  insertPayment(payment: StubPayment): void {
    this.#db
      .prepare(
        `INSERT INTO payments (psp_reference, merchant_reference, idempotency_key, amount_value, currency, shopper_reference,
           stored_payment_method_id, result_code, refusal_reason, metadata_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        payment.pspReference,
        payment.merchantReference,
        payment.idempotencyKey,
        payment.amountValue,
        payment.currency,
        payment.shopperReference,
        payment.storedPaymentMethodId,
        payment.resultCode,
        payment.refusalReason,
        JSON.stringify(payment.metadata),
        payment.createdAt,
      );
  }

  updatePaymentResult(pspReference: string, resultCode: string, refusalReason: string | null): void {
    this.#db.prepare('UPDATE payments SET result_code = ?, refusal_reason = ? WHERE psp_reference = ?').run(resultCode, refusalReason, pspReference);
  }

  payment(pspReference: string): StubPayment | undefined {
    const row = this.#db.prepare('SELECT * FROM payments WHERE psp_reference = ?').get(pspReference) as PaymentRow | undefined;
    return row === undefined ? undefined : paymentOf(row);
  }

  payments(merchantReference?: string): StubPayment[] {
    const rows = (
      merchantReference === undefined
        ? this.#db.prepare('SELECT * FROM payments ORDER BY created_at, rowid').all()
        : this.#db.prepare('SELECT * FROM payments WHERE merchant_reference = ? ORDER BY created_at, rowid').all(merchantReference)
    ) as PaymentRow[];
    return rows.map(paymentOf);
  }

  insertRefund(refund: StubRefund): void {
    this.#db
      .prepare('INSERT INTO refunds (psp_reference, payment_psp_reference, merchant_reference, amount_value, currency, outcome, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(refund.pspReference, refund.paymentPspReference, refund.merchantReference, refund.amountValue, refund.currency, refund.outcome, refund.reason, refund.createdAt);
  }

  reverseRefund(pspReference: string, reason: string): void {
    this.#db.prepare("UPDATE refunds SET outcome = 'REVERSED', reason = ? WHERE psp_reference = ?").run(reason, pspReference);
  }

  refunds(paymentPspReference?: string): StubRefund[] {
    const rows = (
      paymentPspReference === undefined
        ? this.#db.prepare('SELECT * FROM refunds ORDER BY created_at, rowid').all()
        : this.#db.prepare('SELECT * FROM refunds WHERE payment_psp_reference = ? ORDER BY created_at, rowid').all(paymentPspReference)
    ) as RefundRow[];
    return rows.map(refundOf);
  }

  /** Minor units refunded for good on a payment. */
  refundedOn(paymentPspReference: string): number {
    const row = this.#db.prepare("SELECT COALESCE(SUM(amount_value), 0) AS total FROM refunds WHERE payment_psp_reference = ? AND outcome = 'REFUNDED'").get(paymentPspReference) as { total: number };
    return row.total;
  }

  storedMethod(id: string): StubStoredMethod | undefined {
    const row = this.#db.prepare('SELECT id, shopper_reference, holder_name FROM stored_payment_methods WHERE id = ?').get(id) as
      | { id: string; shopper_reference: string; holder_name: string }
      | undefined;
    return row === undefined ? undefined : { id: row.id, shopperReference: row.shopper_reference, holderName: row.holder_name };
  }

  insertStoredMethod(method: StubStoredMethod): void {
    this.#db.prepare('INSERT INTO stored_payment_methods (id, shopper_reference, holder_name) VALUES (?, ?, ?)').run(method.id, method.shopperReference, method.holderName);
  }

  enqueueNotification(body: string, now: number): void {
    this.#db.prepare('INSERT INTO notifications (body, created_at) VALUES (?, ?)').run(body, now);
  }

  notifications(onlyPending = false): StubNotificationRecord[] {
    const sql = `SELECT id, body, created_at, delivered_at, attempts, last_error FROM notifications ${onlyPending ? 'WHERE delivered_at IS NULL' : ''} ORDER BY id`;
    const rows = this.#db.prepare(sql).all() as { id: number; body: string; created_at: number; delivered_at: number | null; attempts: number; last_error: string | null }[];
    return rows.map((row) => ({ id: row.id, body: row.body, createdAt: row.created_at, deliveredAt: row.delivered_at, attempts: row.attempts, lastError: row.last_error }));
  }

  markDelivery(id: number, now: number, error: string | undefined): void {
    if (error === undefined) this.#db.prepare('UPDATE notifications SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?').run(now, id);
    else this.#db.prepare('UPDATE notifications SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error, id);
  }

  close(): void {
    this.#db.close();
  }
}

function paymentOf(row: PaymentRow): StubPayment {
  return {
    pspReference: row.psp_reference,
    merchantReference: row.merchant_reference,
    idempotencyKey: row.idempotency_key,
    amountValue: row.amount_value,
    currency: row.currency,
    shopperReference: row.shopper_reference,
    storedPaymentMethodId: row.stored_payment_method_id,
    resultCode: row.result_code,
    refusalReason: row.refusal_reason,
    metadata: JSON.parse(row.metadata_json) as Record<string, string>,
    createdAt: row.created_at,
  };
}

function refundOf(row: RefundRow): StubRefund {
  return {
    pspReference: row.psp_reference,
    paymentPspReference: row.payment_psp_reference,
    merchantReference: row.merchant_reference,
    amountValue: row.amount_value,
    currency: row.currency,
    outcome: row.outcome,
    reason: row.reason,
    createdAt: row.created_at,
  };
}
