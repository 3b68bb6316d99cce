import type { VirtualClock } from '@aegispay/domain';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Makes database queries take no virtual time on a `VirtualClock` with `autoAdvance`.
 *
 * Auto-advance jumps to the next timer whenever the program has nothing left to do but wait. On
 * SQLite that never happens during a query (better-sqlite3 answers synchronously), but a
 * PostgreSQL query is network I/O: while it is on the wire the clock would jump to the next timer
 * — a gateway's latency, a timeout, a breaker's open period, the next arrival — again and again,
 * so a one-minute demo took forty virtual minutes, payments timed out while their row was being
 * written and breakers gave up on probes that had not had a chance to run. This holds
 * auto-advance off while any query (or the wait for a pooled connection) is pending.
 *
 * Only for runs whose transactions never wait on the clock (the app's never do: they are plain
 * SQL), or a query waiting for a pooled connection would wait for ever.
 *
 * @returns a function that removes the hold and restores the data source.
 */
export function holdVirtualTimeDuringQueries(dataSource: DataSource, clock: VirtualClock): () => void {
  let pending = 0;
  const enter = (): void => {
    pending += 1;
    if (pending === 1) clock.setAutoAdvance(false);
  };
  const leave = (): void => {
    pending -= 1;
    if (pending === 0) clock.setAutoAdvance(true);
  };
  const held = <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      enter();
      try {
        return await operation(...args);
      } finally {
        leave();
      }
    };

  const original = dataSource.createQueryRunner;
  dataSource.createQueryRunner = function createHeldQueryRunner(this: DataSource, ...args: Parameters<DataSource['createQueryRunner']>): QueryRunner {
    const runner = original.apply(this, args);
    runner.query = held(runner.query.bind(runner)) as QueryRunner['query'];
    runner.connect = held(runner.connect.bind(runner));
    return runner;
  };
  return () => {
    dataSource.createQueryRunner = original;
  };
}
