import { BackgroundLoop, OptionChecks, SystemClock, type Clock, type IdempotencyStore, type OutboxStore } from '@aegispay/domain';
import { FifoMutex } from '@aegispay/resilience';

/** What a {@link RetentionSweeper} purges; give one or both. */
export interface RetentionStores {
  /** Its published messages are deleted once older than `outboxRetentionMs`. */
  readonly outbox?: OutboxStore;
  /** Its expired keys are deleted. */
  readonly idempotency?: IdempotencyStore;
}

/** Options of {@link RetentionSweeper}. */
export interface RetentionSweeperOptions {
  /**
   * How long a published outbox message is kept after its publication, in ms (≥ 0): long enough
   * to look back at what was published. Defaults to 604 800 000 (7 days).
   */
  readonly outboxRetentionMs?: number;
  /** Rows deleted per statement, per table (1–100 000). Defaults to 500. */
  readonly batchSize?: number;
  /**
   * Pause between two batches while there is more to delete, in ms (≥ 0): payments' own
   * statements run in between. Defaults to 50 ms.
   */
  readonly batchPauseMs?: number;
  /** Wait between sweeps once nothing is left to delete, in ms (≥ 1). Defaults to 60 000 ms. */
  readonly intervalMs?: number;
  /** Wait after a batch that failed (database away), in ms (≥ 0). Defaults to `intervalMs`. */
  readonly errorDelayMs?: number;
  /** Time of the cutoffs, and of the loop's timers. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Called after each batch that deleted something. What it throws goes to `onError`. */
  readonly onPurged?: (batch: RetentionBatchResult) => void;
  /**
   * Called when a background batch failed (the sweeper carries on after `errorDelayMs`; each such
   * failure is counted in `getStats().errors`), and with what `onPurged` threw. What it throws
   * itself is dropped. Defaults to none.
   */
  readonly onError?: (error: unknown) => void;
}

/** What one batch deleted. */
export interface RetentionBatchResult {
  /** Published outbox messages deleted. */
  readonly outboxMessages: number;
  /** Expired idempotency keys deleted. */
  readonly idempotencyKeys: number;
  /** True when a table gave a full batch: there may be more to delete now. */
  readonly more: boolean;
}

/** Counters since the sweeper was created. */
export interface RetentionStats {
  readonly batches: number;
  readonly outboxMessages: number;
  readonly idempotencyKeys: number;
  readonly errors: number;
}

const checks = new OptionChecks('LOCKING.INVALID_OPTION', 'RetentionSweeper');

/**
 * Keeps the tables that would otherwise only grow at a bounded size: deletes published outbox
 * messages once they are older than `outboxRetentionMs`, and idempotency keys once they have
 * expired (an expired key is free for reuse anyway).
 *
 * It never holds a table for long: each batch is one bounded `DELETE` per table (`batchSize`
 * rows, oldest first, through the stores' `purgePublished` and `purgeExpired`), and while there
 * is more to delete the next batch comes `batchPauseMs` later, so the payments' own writes take
 * their turns in between (on SQLite, whose writes are serialised, that is what keeps a backlog of
 * millions of rows from delaying a payment by more than one batch). Unpublished and parked messages
 * are never deleted.
 *
 * Nothing runs until {@link start}; {@link stop} waits for the batch in flight. The schedule is a
 * `BackgroundLoop` on the `Clock` (`SystemClock` timers never keep the process alive).
 */
export class RetentionSweeper {
  private readonly outboxRetentionMs: number;
  private readonly batchSize: number;
  private readonly clock: Clock;
  private readonly loop: BackgroundLoop;
  private readonly mutex = new FifoMutex();
  private counters = { batches: 0, outboxMessages: 0, idempotencyKeys: 0, errors: 0 };

  /** @throws InvalidOptionError `LOCKING.INVALID_OPTION` naming a malformed option, or when neither store is given. */
  constructor(
    private readonly stores: RetentionStores,
    private readonly options: RetentionSweeperOptions = {},
  ) {
    checks.object('stores', stores, undefined);
    if (stores.outbox !== undefined) checks.port('stores.outbox', stores.outbox, undefined, ['purgePublished']);
    if (stores.idempotency !== undefined) checks.port('stores.idempotency', stores.idempotency, undefined, ['purgeExpired']);
    if (stores.outbox === undefined && stores.idempotency === undefined) throw checks.invalid('stores', 'must name an outbox, an idempotency store, or both', stores);
    this.outboxRetentionMs = checks.number('outboxRetentionMs', options.outboxRetentionMs, 604_800_000, { min: 0 });
    this.batchSize = checks.integer('batchSize', options.batchSize, 500, { min: 1, max: 100_000 });
    const batchPauseMs = checks.number('batchPauseMs', options.batchPauseMs, 50, { min: 0 });
    const intervalMs = checks.number('intervalMs', options.intervalMs, 60_000, { min: 1 });
    const errorDelayMs = checks.number('errorDelayMs', options.errorDelayMs, intervalMs, { min: 0 });
    checks.optionalFunction('onPurged', options.onPurged);
    checks.optionalFunction('onError', options.onError);
    this.clock = options.clock ?? new SystemClock();
    this.loop = new BackgroundLoop({
      clock: this.clock,
      intervalMs,
      errorDelayMs,
      run: async () => ((await this.runOnce()).more ? batchPauseMs : intervalMs),
      onError: (error) => {
        this.counters.errors += 1;
        this.reportError(error);
      },
    });
  }

  /** True between {@link start} and {@link stop}. */
  get isRunning(): boolean {
    return this.loop.isRunning;
  }

  /** Starts sweeping: a batch now, the next after `batchPauseMs` while batches come back full, else after `intervalMs`. */
  start(): void {
    this.loop.start();
  }

  /** Stops sweeping and resolves once the batch in flight (if any) has finished. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Deletes one batch from each table now (batches of one sweeper never overlap). */
  runOnce(): Promise<RetentionBatchResult> {
    return this.mutex.runExclusive(() => this.purgeBatch());
  }

  /** Deletes batches until nothing is left to delete; returns the totals. For operators and tests: it does not pause. */
  async sweep(): Promise<Omit<RetentionBatchResult, 'more'>> {
    let outboxMessages = 0;
    let idempotencyKeys = 0;
    for (;;) {
      const batch = await this.runOnce();
      outboxMessages += batch.outboxMessages;
      idempotencyKeys += batch.idempotencyKeys;
      if (!batch.more) return { outboxMessages, idempotencyKeys };
    }
  }

  /** Counters since creation. */
  getStats(): RetentionStats {
    return { ...this.counters };
  }

  private async purgeBatch(): Promise<RetentionBatchResult> {
    const { outbox, idempotency } = this.stores;
    const outboxMessages = outbox === undefined ? 0 : await outbox.purgePublished(this.clock.now() - this.outboxRetentionMs, this.batchSize);
    const idempotencyKeys = idempotency === undefined ? 0 : await idempotency.purgeExpired(this.batchSize);
    this.counters.batches += 1;
    this.counters.outboxMessages += outboxMessages;
    this.counters.idempotencyKeys += idempotencyKeys;
    const result = { outboxMessages, idempotencyKeys, more: outboxMessages >= this.batchSize || idempotencyKeys >= this.batchSize };
    if (outboxMessages + idempotencyKeys > 0 && this.options.onPurged !== undefined) {
      try {
        this.options.onPurged(result);
      } catch (error) {
        this.reportError(error);
      }
    }
    return result;
  }

  private reportError(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // The operator's last channel must not stop the sweeper.
    }
  }
}
