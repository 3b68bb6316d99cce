import type { DomainEvent } from '@aegispay/domain';
import { wholeMs } from '../sql/epoch-ms';
import type { SqlExecutor, SqlSession } from '../sql/sql-session';
import { toEpochMs } from './payment-row.mapper';

/** Inserts domain events into `outbox_messages`, in order, in the session's current transaction. */
export class OutboxWriter {
  private readonly insertSql: string;

  constructor(session: SqlSession) {
    this.insertSql =
      `INSERT INTO ${session.table('outbox_messages')} ` +
      '(event_id, aggregate_type, aggregate_id, event_type, payload, occurred_at, created_at, available_at, attempts) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)';
  }

  /** Appends on `tx` (the caller's transaction); `now` (the repository's clock) stamps the rows, floored to whole milliseconds. */
  async append(tx: SqlExecutor, events: readonly DomainEvent[], now: number): Promise<void> {
    if (events.length === 0) return;
    const stamp = wholeMs(now, 'now');
    for (const event of events) {
      await tx.run(this.insertSql, [
        event.id,
        event.aggregateType,
        event.aggregateId,
        event.type,
        JSON.stringify(event.payload),
        toEpochMs(event.occurredAt),
        stamp,
        stamp,
      ]);
    }
  }
}
