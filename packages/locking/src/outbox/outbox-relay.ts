import { CryptoIdGenerator, SystemClock, ValidationError, type Clock, type EventPublisher, type IdGenerator, type Random, type TimerHandle } from '@aegispay/domain';
import { RetryPolicy } from '@aegispay/resilience';
import { AsyncMutex } from '../internal/async-mutex';
import { durationOption, integerOption } from '../internal/options';
import type { OutboxMessage, OutboxStore } from './outbox-store.port';

/** Backoff between failed publish attempts of one message (see `RetryPolicy` of `@aegispay/resilience`). */
export interface OutboxRetryOptions {
  /** Delay before the second attempt. Defaults to 1 000 ms. */
  readonly initialBackoffMs?: number;
  /** Cap on any delay. Defaults to 300 000 ms (5 minutes). */
  readonly maxBackoffMs?: number;
  /** Growth of the delay per failed attempt. Defaults to 2. */
  readonly backoffMultiplier?: number;
  /** Proportional jitter, in [0, 1]. Defaults to 0.2. */
  readonly jitterFactor?: number;
}

/** What happened to a message whose publication failed. */
export interface OutboxPublishFailure {
  readonly message: OutboxMessage;
  readonly error: unknown;
  /** Failed attempts, this one included. */
  readonly attempts: number;
  /** True when the message was parked as a dead letter. */
  readonly deadLettered: boolean;
  /** When it will be tried again, epoch ms (meaningless when parked). */
  readonly retryAt: number;
}

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** Messages claimed per batch. Defaults to 100. */
  readonly batchSize?: number;
  /** Wait between polls when the outbox had nothing due. Defaults to 1 000 ms. */
  readonly pollIntervalMs?: number;
  /**
   * How long a claim holds (at least 1 ms). Another relay takes the messages over after it, so it
   * must exceed the time a batch takes to publish; a relay that crashed is replaced after it.
   * Defaults to 60 000 ms.
   */
  readonly leaseMs?: number;
  /** A message is parked as a dead letter after this many failed attempts. Defaults to 10. */
  readonly maxAttempts?: number;
  /** Backoff between attempts of one message. */
  readonly retry?: OutboxRetryOptions;
  /** Wait before polling again after the store itself failed (database down). Defaults to 5 000 ms. */
  readonly errorBackoffMs?: number;
  /** This relay's identity in claims. Defaults to `relay_<uuid>` from `ids`. */
  readonly relayId?: string;
  /** Time source for polling, leases and retries. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Jitter source. Defaults to `CryptoRandom` (through `RetryPolicy`). */
  readonly random?: Random;
  /** Generates the default relay id. Defaults to `CryptoIdGenerator`. */
  readonly ids?: IdGenerator;
  /** Called after messages were published and marked. What it throws is ignored. */
  readonly onPublished?: (messages: readonly OutboxMessage[]) => void;
  /** Called for each failed publish attempt. What it throws is ignored. */
  readonly onPublishFailed?: (failure: OutboxPublishFailure) => void;
  /**
   * Called when a batch failed in the store (the relay keeps running and polls again later).
   * What it throws is ignored: an observer must not stop the relay.
   */
  readonly onError?: (error: unknown) => void;
}

/** What one batch did. */
export interface OutboxBatchResult {
  readonly claimed: number;
  readonly published: number;
  readonly failed: number;
  readonly deadLettered: number;
  /** Published messages whose claim had expired and been taken over (they may be published twice). */
  readonly lostClaims: number;
}

/** Counters since the relay was created. */
export interface OutboxRelayStats {
  readonly batches: number;
  readonly claimed: number;
  readonly published: number;
  readonly failedAttempts: number;
  readonly deadLettered: number;
  readonly lostClaims: number;
  readonly storeErrors: number;
}

const EMPTY_BATCH: OutboxBatchResult = Object.freeze({ claimed: 0, published: 0, failed: 0, deadLettered: 0, lostClaims: 0 });

/**
 * Publishes the transactional outbox: claims batches of messages, hands them to the
 * {@link EventPublisher} aggregate by aggregate in order, marks them published, retries failures
 * with exponential backoff and parks a message as a dead letter after `maxAttempts` (visible with
 * `store.listDeadLetters()`, re-driven with `store.redrive()`).
 *
 * Delivery is at least once: a relay that dies between publishing and marking publishes again
 * after its lease; consumers de-duplicate on `event.id`. Several relays may share a store: claims
 * are exclusive and per-aggregate order is kept (see {@link OutboxStore}).
 *
 * Nothing runs until {@link start}; {@link stop} waits for the batch in flight. Its timers come
 * from the `Clock` (`SystemClock` timers never keep the process alive).
 */
export class OutboxRelay {
  /** This relay's identity in claims. */
  readonly id: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly errorBackoffMs: number;
  private readonly backoff: RetryPolicy;
  private readonly clock: Clock;
  private readonly mutex = new AsyncMutex();
  private running = false;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<void> | undefined;
  private counters = { batches: 0, claimed: 0, published: 0, failedAttempts: 0, deadLettered: 0, lostClaims: 0, storeErrors: 0 };

  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = integerOption('OutboxRelay', 'batchSize', options.batchSize, 100, 1);
    this.pollIntervalMs = durationOption('OutboxRelay', 'pollIntervalMs', options.pollIntervalMs, 1_000);
    this.leaseMs = durationOption('OutboxRelay', 'leaseMs', options.leaseMs, 60_000);
    // A lease of 0 expires as it is taken: another relay could take every claim over at once.
    if (this.leaseMs < 1) throw new ValidationError('LOCKING.INVALID_OPTION', 'leaseMs', `OutboxRelay: leaseMs must be at least 1 ms, got ${this.leaseMs}.`);
    this.maxAttempts = integerOption('OutboxRelay', 'maxAttempts', options.maxAttempts, 10, 1);
    this.errorBackoffMs = durationOption('OutboxRelay', 'errorBackoffMs', options.errorBackoffMs, 5_000);
    this.clock = options.clock ?? new SystemClock();
    this.backoff = new RetryPolicy({
      initialBackoffMs: options.retry?.initialBackoffMs ?? 1_000,
      maxBackoffMs: options.retry?.maxBackoffMs ?? 300_000,
      backoffMultiplier: options.retry?.backoffMultiplier ?? 2,
      jitterFactor: options.retry?.jitterFactor ?? 0.2,
      clock: this.clock,
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    this.id = options.relayId ?? (options.ids ?? new CryptoIdGenerator()).generate('relay');
  }

  /** True between {@link start} and {@link stop}. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts polling: a batch now, the next one at once while batches come back full, else after `pollIntervalMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and resolves once the batch in flight (if any) is published and marked. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    await this.inFlight;
  }

  /** Claims and publishes one batch now (batches of one relay never overlap). */
  runOnce(): Promise<OutboxBatchResult> {
    return this.mutex.runExclusive(() => this.publishBatch());
  }

  /** Publishes batches until nothing is due; returns how many messages were published. */
  async drain(): Promise<number> {
    let published = 0;
    for (;;) {
      const result = await this.runOnce();
      published += result.published;
      if (result.claimed === 0) return published;
    }
  }

  /** Counters since creation. */
  getStats(): OutboxRelayStats {
    return { ...this.counters };
  }

  private schedule(delayMs: number): void {
    // One pending poll at most: a tick that finishes after a stop() and a new start() must not
    // start a second loop beside the one start() scheduled.
    if (!this.running || this.timer !== undefined) return;
    this.timer = this.clock.setTimer(delayMs, () => {
      this.timer = undefined;
      this.inFlight = this.tick();
    });
  }

  private async tick(): Promise<void> {
    let next = this.pollIntervalMs;
    try {
      const result = await this.runOnce();
      if (result.claimed >= this.batchSize) next = 0;
    } catch (error) {
      this.counters.storeErrors += 1;
      next = this.errorBackoffMs;
      notify(this.options.onError, error);
    }
    this.schedule(next);
  }

  private async publishBatch(): Promise<OutboxBatchResult> {
    const now = this.clock.now();
    const messages = await this.store.claim({ owner: this.id, limit: this.batchSize, now, leaseUntil: now + this.leaseMs });
    this.counters.batches += 1;
    if (messages.length === 0) return EMPTY_BATCH;
    this.counters.claimed += messages.length;

    const published: OutboxMessage[] = [];
    const unmarked: OutboxMessage[] = [];
    let marked = 0;
    let failed = 0;
    let deadLettered = 0;
    for (const group of groupByAggregate(messages)) {
      const outcome = await this.publishGroup(group);
      published.push(...outcome.published);
      marked += outcome.marked;
      if (outcome.failure === undefined) unmarked.push(...outcome.published);
      else {
        failed += 1;
        if (outcome.failure.deadLettered) deadLettered += 1;
      }
    }

    if (unmarked.length > 0) marked += await this.store.markPublished(this.id, unmarked.map((m) => m.sequence), this.clock.now());
    const lostClaims = published.length - marked;
    this.counters.published += published.length;
    this.counters.failedAttempts += failed;
    this.counters.deadLettered += deadLettered;
    this.counters.lostClaims += lostClaims;
    if (published.length > 0) notify(this.options.onPublished, published);
    return { claimed: messages.length, published: published.length, failed, deadLettered, lostClaims };
  }

  /**
   * Publishes one aggregate's run in one call; when that fails, one message at a time, so the
   * failing message (and only it) is charged an attempt and the ones after it wait their turn.
   *
   * On a failure the messages published before it are marked first, then the failure recorded:
   * a failure recorded while an earlier message stayed unmarked (the store failing in between)
   * could park a message behind its head, and the run re-claimed later would go on without it.
   * `marked` counts what this call marked; a fully published group is left to the caller to mark
   * with the rest of the batch.
   */
  private async publishGroup(
    group: readonly OutboxMessage[],
  ): Promise<{ published: readonly OutboxMessage[]; marked: number; failure?: OutboxPublishFailure }> {
    try {
      await this.publisher.publish(group.map((message) => message.event));
      return { published: group, marked: 0 };
    } catch (groupError) {
      if (group.length === 1) return { published: [], marked: 0, failure: await this.fail(group[0] as OutboxMessage, groupError, []) };
    }
    const published: OutboxMessage[] = [];
    for (const [index, message] of group.entries()) {
      try {
        await this.publisher.publish([message.event]);
        published.push(message);
      } catch (error) {
        const marked = published.length === 0 ? 0 : await this.store.markPublished(this.id, published.map((m) => m.sequence), this.clock.now());
        return { published, marked, failure: await this.fail(message, error, group.slice(index + 1)) };
      }
    }
    return { published, marked: 0 };
  }

  private async fail(message: OutboxMessage, error: unknown, rest: readonly OutboxMessage[]): Promise<OutboxPublishFailure> {
    const now = this.clock.now();
    const attempts = message.attempts + 1;
    const deadLettered = attempts >= this.maxAttempts;
    // Whole milliseconds, rounded up: stores keep epoch-ms integers (a bigint column), and the
    // message must not come back before its backoff is over.
    const retryAt = Math.ceil(now + this.backoff.computeDelay(attempts));
    await this.store.markFailed(this.id, message.sequence, { error: describe(error), retryAt, deadLetter: deadLettered, now });
    if (rest.length > 0) await this.store.release(this.id, rest.map((m) => m.sequence));
    const failure: OutboxPublishFailure = { message, error, attempts, deadLettered, retryAt };
    notify(this.options.onPublishFailed, failure);
    return failure;
  }
}

function groupByAggregate(messages: readonly OutboxMessage[]): OutboxMessage[][] {
  const groups = new Map<string, OutboxMessage[]>();
  for (const message of messages) {
    const key = message.event.aggregateId;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [message]);
    else group.push(message);
  }
  return [...groups.values()];
}

/** Calls an observer; what it throws is dropped, so observing can never break publishing. */
function notify<T>(observer: ((value: T) => void) | undefined, value: T): void {
  if (observer === undefined) return;
  try {
    observer(value);
  } catch {
    // Observers are logging and metrics: their failure must not lose a batch or stop the loop.
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
