import { EventPublisherUnavailableError, type DomainEvent, type EventPublisher } from '@aegispay/domain';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EventMerchantUnknownError, NatsPublishRefusedError } from '../errors/nats.errors';
import { encodeEventMessage } from '../messages/event-message';
import { ensureEventStream, type EnsureStreamOutcome } from '../stream/event-stream';
import { classifyPublishError } from './publish-failure';
import { publisherSettings, redact, type JetStreamConnectionState, type JetStreamEventPublisherOptions, type JetStreamPublisherSettings } from './jetstream-event-publisher.options';

/** What a {@link JetStreamEventPublisher} reports about itself (for health checks and metrics). */
export interface JetStreamPublisherStatus {
  readonly state: JetStreamConnectionState;
  /** The stream's name. */
  readonly stream: string;
  /** Whether the stream was found or made as configured on this connection. */
  readonly streamReady: boolean;
  /** Events the broker stored. */
  readonly published: number;
  /** Events the broker had already stored under the same id (republished; the server dropped the copy). */
  readonly duplicates: number;
  /** Why the broker was last unavailable (or refused an event), or `null`. */
  readonly lastError: string | null;
}

/**
 * An {@link EventPublisher} on NATS JetStream: each event goes to `<prefix>.<merchant>.<EventType>`
 * with its id as the message id (`Nats-Msg-Id`), so the server drops a republished event within
 * the stream's duplicate window; `publish` resolves only once the broker acknowledged every event
 * (the outbox relay marks them published after that), one after the other so a payment's events
 * are stored in order.
 *
 * The connection is opened on {@link start} or on the first publish and re-opened by the client
 * after a loss, without end. While it is down `publish` rejects at once with
 * `EventPublisherUnavailableError` — the relay keeps the events and charges none of them an
 * attempt — as it does when an acknowledgement does not come in time or the stream is missing. An
 * event the broker refuses for its own sake (too large) is a `NatsPublishRefusedError`. The stream is
 * created or brought up to date on every (re)connection (`ensureEventStream`).
 */
export class JetStreamEventPublisher implements EventPublisher {
  private readonly settings: JetStreamPublisherSettings;
  private readonly description: string;
  private connection: NatsConnection | undefined;
  private client: JetStreamClient | undefined;
  private opening: Promise<void> | undefined;
  private ensuring: Promise<EnsureStreamOutcome> | undefined;
  private state: JetStreamConnectionState = 'idle';
  private streamReady = false;
  private counters = { published: 0, duplicates: 0 };
  private lastError: string | null = null;

  /** @throws InvalidOptionError `NATS.INVALID_OPTION` naming a malformed option. */
  constructor(options: JetStreamEventPublisherOptions) {
    this.settings = publisherSettings(options);
    this.description = `NATS JetStream at ${this.settings.servers.map(redact).join(', ')}`;
  }

  /** The stream's name. */
  get stream(): string {
    return this.settings.stream.name;
  }

  /** The subject prefix and the filters consumers subscribe with. */
  get subjects(): JetStreamPublisherSettings['subjects'] {
    return this.settings.subjects;
  }

  /**
   * Connects and makes the stream in the background, so that a misconfiguration shows at start-up
   * (through `onStateChange` and {@link status}) rather than at the first event. Never throws: a
   * broker that is down is tried again by the next publish.
   */
  start(): void {
    this.connect().catch(() => undefined);
  }

  /**
   * Connects (when not connected) and creates or updates the stream; resolves once both are done.
   * @throws EventPublisherUnavailableError when the broker cannot be reached or the stream cannot be made.
   */
  async connect(): Promise<void> {
    await this.ready();
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Every subject first: an event that has none is refused before anything of the run is sent.
    const subjects = await Promise.all(events.map((event) => this.subjectOf(event)));
    const client = await this.ready();
    for (const [index, event] of events.entries()) {
      const subject = subjects[index] as string;
      let duplicate: boolean;
      try {
        const ack = await client.publish(subject, encodeEventMessage(event), {
          msgID: event.id,
          timeout: this.settings.ackTimeoutMs,
          expect: { streamName: this.stream },
        });
        duplicate = ack.duplicate;
      } catch (error) {
        throw this.failure(event, subject, error);
      }
      if (duplicate) this.counters.duplicates += 1;
      else this.counters.published += 1;
    }
  }

  /** The connection state, the stream and the counters, now. */
  status(): JetStreamPublisherStatus {
    return { state: this.state, stream: this.stream, streamReady: this.streamReady, ...this.counters, lastError: this.lastError };
  }

  /**
   * Closes the connection after flushing what it sent; publishing afterwards rejects with
   * `EventPublisherUnavailableError`. Idempotent.
   */
  async close(): Promise<void> {
    this.setState('closed');
    await this.opening?.catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    this.client = undefined;
    if (connection !== undefined && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }

  private async ready(): Promise<JetStreamClient> {
    if (this.state === 'closed') throw this.unavailable('the publisher was closed');
    if (this.connection === undefined) {
      this.opening ??= this.open().finally(() => (this.opening = undefined));
      await this.opening;
    }
    if (this.state !== 'connected' || this.client === undefined) throw this.unavailable(`the connection is ${this.state}`);
    if (!this.streamReady) {
      this.ensuring ??= this.ensureStream().finally(() => (this.ensuring = undefined));
      await this.ensuring;
    }
    return this.client;
  }

  private async open(): Promise<void> {
    this.setState('connecting');
    let connection: NatsConnection;
    try {
      connection = await connect({
        ...this.settings.connection,
        servers: [...this.settings.servers],
        name: this.settings.name,
        timeout: this.settings.connectTimeoutMs,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: this.settings.reconnectWaitMs,
        waitOnFirstConnect: false,
      });
    } catch (error) {
      if (this.state !== 'closed') this.setState('idle', error);
      throw this.unavailable('it cannot be reached', error);
    }
    if (this.state === 'closed') {
      await connection.close();
      throw this.unavailable('the publisher was closed');
    }
    this.connection = connection;
    this.client = jetstream(connection);
    this.streamReady = false;
    this.setState('connected');
    // Following the status is best effort: should the client's iterator fail, the next publish still finds out.
    this.watch(connection).catch(() => undefined);
  }

  /** Follows the client's status: down on a disconnect, up (and the stream checked again) on a reconnect. */
  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (this.connection !== connection || this.state === 'closed') return;
      if (status.type === 'disconnect' || status.type === 'staleConnection') this.setState('reconnecting');
      else if (status.type === 'reconnect') {
        this.streamReady = false;
        this.setState('connected');
      }
    }
    if (this.connection === connection && this.state !== 'closed') {
      // The client gave up for good (authentication refused twice, say): start over on the next publish.
      this.connection = undefined;
      this.client = undefined;
      this.setState('idle', await connection.closed());
    }
  }

  private async ensureStream(): Promise<EnsureStreamOutcome> {
    const connection = this.connection;
    if (connection === undefined) throw this.unavailable(`the connection is ${this.state}`);
    try {
      const outcome = await ensureEventStream(await jetstreamManager(connection, { timeout: this.settings.ackTimeoutMs }), this.settings.stream);
      this.streamReady = true;
      return outcome;
    } catch (error) {
      throw this.unavailable(`stream ${this.stream} could not be made ready`, error);
    }
  }

  private async subjectOf(event: DomainEvent): Promise<string> {
    const named = event.payload['merchantId'];
    const merchantId = typeof named === 'string' && named !== '' ? named : await this.settings.merchantOf?.(event);
    if (typeof merchantId !== 'string' || merchantId === '') throw new EventMerchantUnknownError(event.id, event.type);
    return this.settings.subjects.of(merchantId, event.type);
  }

  private failure(event: DomainEvent, subject: string, error: unknown): Error {
    const kind = classifyPublishError(error);
    if (kind === 'refused') {
      const refused = new NatsPublishRefusedError(event.id, subject, error instanceof Error ? error.message : String(error), { cause: error });
      this.lastError = refused.message;
      return refused;
    }
    // The stream may be gone (a server that lost its store) or not capture the subject: check it again.
    if (kind === 'stream') this.streamReady = false;
    return this.unavailable(kind === 'stream' ? `stream ${this.stream} did not take the event` : 'the event was not acknowledged', error);
  }

  private unavailable(reason: string, cause?: unknown): EventPublisherUnavailableError {
    const error = new EventPublisherUnavailableError(this.description, reason, cause === undefined ? {} : { cause });
    this.lastError = cause instanceof Error ? `${reason}: ${cause.message}` : reason;
    return error;
  }

  private setState(state: JetStreamConnectionState, error?: unknown): void {
    if (this.state === state) return;
    this.state = state;
    try {
      this.settings.onStateChange?.(state, error);
    } catch {
      // An observer cannot break publishing.
    }
  }
}
