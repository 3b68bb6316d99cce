import type { DomainEvent } from '@aegispay/domain';
import { OUTBOX_MESSAGES } from '../schema/tables';
import { wholeMs } from '../sql/epoch-ms';
import type { SqlExecutor, SqlSession } from '../sql/sql-session';
import { insertStatement, type Statement } from '../sql/table-sql';

/** Inserts domain events into `outbox_messages`, in order, in the session's current transaction. */
export class OutboxWriter {
  private readonly insert: Statement<[event: DomainEvent, context: { readonly now: number }]>;

  constructor(session: SqlSession) {
    this.insert = insertStatement(OUTBOX_MESSAGES, session.table(OUTBOX_MESSAGES.name));
  }

  /** Appends on `tx` (the caller's transaction); `now` (the repository's clock) stamps the rows, floored to whole milliseconds. */
  async append(tx: SqlExecutor, events: readonly DomainEvent[], now: number): Promise<void> {
    if (events.length === 0) return;
    const context = { now: wholeMs(now, 'now') };
    for (const event of events) await tx.run(this.insert.sql, this.insert.parameters(event, context));
  }
}
