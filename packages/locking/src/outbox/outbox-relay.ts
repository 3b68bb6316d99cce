import {
  BackgroundLoop,
  CryptoIdGenerator,
  EventPublisherUnavailableError,
  OptionChecks,
  SystemClock,
  type Clock,
  type EventPublisher,
  type IdGenerator,
  type OutboxMessage,
  type OutboxStore,
  type Random,
} from '@aegispay/domain';
import { FifoMutex, RetryPolicy, type BackoffOptions } from '@aegispay/resilience';

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
  /**
   * Backoff between failed publish attempts of one message. Defaults to `initialBackoffMs`
   * 1 000 ms, `maxBackoffMs` 300 000 ms (5 minutes), `backoffMultiplier` 2, `jitterFactor` 0.2.
   */
  readonly retry?: BackoffOptions;
  /**
   * Wait before polling again after the store itself failed (database down), or after the
   * publisher reported itself unavailable (broker down). Defaults to 5 000 ms.
   */
  readonly errorBackoffMs?: number;
  /** This relay's identity in claims. Defaults to `relay_<uuid>` from `ids`. */
  readonly relayId?: string;
  /** Time source for polling, leases and retries. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Jitter source. Defaults to `CryptoRandom` (through `RetryPolicy`). */
  readonly random?: Random;
  /** Generates the default relay id. Defaults to `CryptoIdGenerator`. */
  readonly ids?: IdGenerator;
  /**
   * Called after messages were published and marked. What it throws goes to `onError`, never to
   * the batch: observing cannot lose a batch.
   */
  readonly onPublished?: (messages: readonly OutboxMessage[]) => void;
  /** Called for each failed publish attempt. What it throws goes to `onError`, as for `onPublished`. */
  readonly onPublishFailed?: (failure: OutboxPublishFailure) => void;
  /**
   * Called when a background batch failed in the store (the relay keeps running and polls again
   * after `errorBackoffMs`; each such failure is also counted in `getStats().storeErrors`), with
   * the publisher's `EventPublisherUnavailableError` when it becomes unavailable (once per outage:
   * again only after a batch published), and with what `onPublished` or `onPublishFailed` threw. What it throws itself is dropped: the
   * operator's last channel must not stop the relay. Defaults to none.
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
  /**
   * Messages given back without an attempt because the publisher was unavailable
   * (`EventPublisherUnavailableError`): the batch stopped there, and they wait for the next poll.
   */
  readonly held: number;
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
  /** Messages held back because the publisher was unavailable (see {@link OutboxBatchResult.held}). */
  readonly held: number;
  /** Batches cut short because the publisher was unavailable. */
  readonly publisherUnavailable: number;
}

const EMPTY_BATCH: OutboxBatchResult = Object.freeze({ claimed: 0, published: 0, failed: 0, deadLettered: 0, lostClaims: 0, held: 0 });
const RETRY_DEFAULTS = Object.freeze({ initialBackoffMs: 1_000, maxBackoffMs: 300_000, backoffMultiplier: 2, jitterFactor: 0.2 });
const checks = new OptionChecks('LOCKING.INVALID_OPTION', 'OutboxRelay');

/**
 * Publishes the transactional outbox: claims batches of messages, hands them to the
 * {@link EventPublisher} aggregate by aggregate in order, marks them published, retries failures
 * with exponential backoff and parks a message as a dead letter after `maxAttempts` (visible with
 * `store.listDeadLetters()`, re-driven with `store.redrive()`).
 *
 * Delivery is at least once: a relay that dies between publishing and marking publishes again
 * after its lease; consumers de-duplicate on `event.id`. A publisher that rejects with
 * `EventPublisherUnavailableError` (its broker is down) stops the batch: nothing is charged an
 * attempt, the messages are given back and tried again after `errorBackoffMs`, however long the
 * outage lasts. Several relays may share a store: claims
 * are exclusive and per-aggregate order is kept (see {@link OutboxStore}).
 *
 * Nothing runs until {@link start}; {@link stop} waits for the batch in flight. The polling is a
 * `BackgroundLoop` on the `Clock` (`SystemClock` timers never keep the process alive).
 */
export class OutboxRelay {
  /** This relay's identity in claims. */
  readonly id: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: RetryPolicy;
  private readonly clock: Clock;
  private readonly mutex = new FifoMutex();
  private readonly loop: BackgroundLoop;
  private counters = { batches: 0, claimed: 0, published: 0, failedAttempts: 0, deadLettered: 0, lostClaims: 0, storeErrors: 0, held: 0, publisherUnavailable: 0 };
  /** Set when the publisher was reported unavailable, cleared by the next batch that publishes: one report per outage. */
  private publisherDown = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = checks.integer('batchSize', options.batchSize, 100, { min: 1 });
    this.pollIntervalMs = checks.number('pollIntervalMs', options.pollIntervalMs, 1_000, { min: 0 });
    // A lease of 0 expires as it is taken: another relay could take every claim over at once.
    this.leaseMs = checks.number('leaseMs', options.leaseMs, 60_000, { min: 1 });
    this.maxAttempts = checks.integer('maxAttempts', options.maxAttempts, 10, { min: 1 });
    const errorBackoffMs = checks.number('errorBackoffMs', options.errorBackoffMs, 5_000, { min: 0 });
    this.clock = options.clock ?? new SystemClock();
    this.backoff = new RetryPolicy({
      ...RETRY_DEFAULTS,
      ...checks.object('retry', options.retry, {}),
      clock: this.clock,
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    this.id = options.relayId ?? (options.ids ?? new CryptoIdGenerator()).generate('relay');
    this.loop = new BackgroundLoop({
      clock: this.clock,
      intervalMs: this.pollIntervalMs,
      errorDelayMs: errorBackoffMs,
      // Full batches are followed at once: the outbox has more due. An unavailable publisher is
      // given the error backoff before it is tried again.
      run: async () => {
        const result = await this.runOnce();
        if (result.held > 0) return errorBackoffMs;
        return result.claimed >= this.batchSize ? 0 : this.pollIntervalMs;
      },
      onError: (error) => {
        this.counters.storeErrors += 1;
        this.reportError(error);
      },
    });
  }

  /** True between {@link start} and {@link stop}. */
  get isRunning(): boolean {
    return this.loop.isRunning;
  }

  /** Starts polling: a batch now, the next one at once while batches come back full, else after `pollIntervalMs`. */
  start(): void {
    this.loop.start();
  }

  /** Stops polling and resolves once the batch in flight (if any) is published and marked. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Claims and publishes one batch now (batches of one relay never overlap). */
  runOnce(): Promise<OutboxBatchResult> {
    return this.mutex.runExclusive(() => this.publishBatch());
  }

  /**
   * Publishes batches until nothing is due, or until the publisher reports itself unavailable;
   * returns how many messages were published.
   */
  async drain(): Promise<number> {
    let published = 0;
    for (;;) {
      const result = await this.runOnce();
      published += result.published;
      if (result.claimed === 0 || result.held > 0) return published;
    }
  }

  /** Counters since creation. */
  getStats(): OutboxRelayStats {
    return { ...this.counters };
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
    let held: readonly OutboxMessage[] = [];
    const groups = groupByAggregate(messages);
    for (const [index, group] of groups.entries()) {
      const outcome = await this.publishGroup(group);
      published.push(...outcome.published);
      marked += outcome.marked;
      if (outcome.published.length > 0) this.publisherDown = false;
      if (outcome.unavailable !== undefined) {
        held = [...outcome.held, ...groups.slice(index + 1).flat()];
        await this.holdBack(held, outcome.unavailable);
        break;
      }
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
    if (published.length > 0) this.notify(this.options.onPublished, published);
    return { claimed: messages.length, published: published.length, failed, deadLettered, lostClaims, held: held.length };
  }

  /** Gives back the messages an unavailable publisher could not take, without charging an attempt. */
  private async holdBack(held: readonly OutboxMessage[], error: unknown): Promise<void> {
    this.counters.held += held.length;
    this.counters.publisherUnavailable += 1;
    if (!this.publisherDown) {
      this.publisherDown = true;
      this.reportError(error);
    }
    await this.store.release(this.id, held.map((m) => m.sequence));
  }

  /**
   * Publishes one aggregate's run in one call; when that fails, one message at a time, so the
   * failing message (and only it) is charged an attempt and the ones after it wait their turn.
   *
   * On a failure the messages published before it are marked first, then the failure recorded:
   * a failure recorded while an earlier message stayed unmarked (the store failing in between)
   * could park a message behind its head, and the run re-claimed later would go on without it.
   * `marked` counts what this call marked; a fully published group is left to the caller to mark
   * with the rest of the batch. An unavailable publisher charges nothing: the messages not
   * published come back as `held`, with the error.
   */
  private async publishGroup(group: readonly OutboxMessage[]): Promise<GroupOutcome> {
    try {
      await this.publisher.publish(group.map((message) => message.event));
      return { published: group, marked: 0 };
    } catch (groupError) {
      if (EventPublisherUnavailableError.is(groupError)) return { published: [], marked: 0, unavailable: groupError, held: group };
      if (group.length === 1) return { published: [], marked: 0, failure: await this.fail(group[0] as OutboxMessage, groupError, []) };
    }
    const published: OutboxMessage[] = [];
    for (const [index, message] of group.entries()) {
      try {
        await this.publisher.publish([message.event]);
        published.push(message);
      } catch (error) {
        const marked = published.length === 0 ? 0 : await this.store.markPublished(this.id, published.map((m) => m.sequence), this.clock.now());
        if (EventPublisherUnavailableError.is(error)) return { published, marked, unavailable: error, held: group.slice(index) };
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
    this.notify(this.options.onPublishFailed, failure);
    return failure;
  }

  /** Calls an observer; what it throws goes to `onError`, so observing can never break publishing. */
  private notify<T>(observer: ((value: T) => void) | undefined, value: T): void {
    if (observer === undefined) return;
    try {
      observer(value);
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // onError is the operator's last channel: if it fails too, there is nowhere left to report.
    }
  }
}

/** What publishing one aggregate's run did: at most one of `failure` and `unavailable` is set. */
type GroupOutcome =
  | { readonly published: readonly OutboxMessage[]; readonly marked: number; readonly failure?: OutboxPublishFailure; readonly unavailable?: undefined }
  | { readonly published: readonly OutboxMessage[]; readonly marked: number; readonly failure?: undefined; readonly unavailable: EventPublisherUnavailableError; readonly held: readonly OutboxMessage[] };

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

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
