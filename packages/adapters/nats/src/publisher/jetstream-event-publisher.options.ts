import { OptionChecks, type DomainEvent } from '@aegispay/domain';
import type { NodeConnectionOptions } from '@nats-io/transport-node';
import { EventSubjects } from '../subjects/event-subjects';
import { eventStreamConfig, type EventStreamConfig, type EventStreamSettings } from '../stream/event-stream';

/** The connection states of a {@link JetStreamEventPublisher}. */
export type JetStreamConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Options of {@link JetStreamEventPublisher}. */
export interface JetStreamEventPublisherOptions {
  /**
   * The NATS server(s): `nats://10.0.0.5:4222` or several of a cluster. Credentials go in
   * `connection` (`user`/`pass`, `token`, `authenticator`), never in logs. Required.
   */
  readonly servers: string | readonly string[];
  /** Subjects are `<subjectPrefix>.<merchant>.<EventType>`; the stream captures `<subjectPrefix>.>`. Defaults to `aegispay.events`. */
  readonly subjectPrefix?: string;
  /** The stream, created or brought up to date on connecting. Defaults: see `EVENT_STREAM_DEFAULTS`. */
  readonly stream?: EventStreamSettings;
  /**
   * The merchant of an event, for its subject, when its payload does not name one (events stored
   * before payment events carried `merchantId`, events of other aggregates). May look it up.
   * An event whose merchant stays unknown is refused with `EventMerchantUnknownError`.
   * Defaults to none: the payload's `merchantId` only.
   */
  readonly merchantOf?: (event: DomainEvent) => string | undefined | Promise<string | undefined>;
  /** How long to wait for the broker's acknowledgement of one event. Defaults to 5 000 ms. */
  readonly ackTimeoutMs?: number;
  /** How long one attempt to connect may take. Defaults to 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Wait between attempts to reconnect after the connection was lost. Defaults to 1 000 ms. */
  readonly reconnectWaitMs?: number;
  /** This client's name on the server's monitoring pages. Defaults to `aegispay`. */
  readonly name?: string;
  /**
   * Further options of the NATS client (authentication, TLS), passed as they are. The publisher
   * owns `servers`, `name`, `timeout` and the reconnection settings. Defaults to none.
   */
  readonly connection?: Omit<NodeConnectionOptions, 'servers' | 'port' | 'name' | 'timeout' | 'reconnect' | 'maxReconnectAttempts' | 'reconnectTimeWait' | 'waitOnFirstConnect'>;
  /**
   * Called when the connection state changes, with the error that caused it when there was one
   * (for logs: the library never prints). What it throws is dropped. Defaults to none.
   */
  readonly onStateChange?: (state: JetStreamConnectionState, error?: unknown) => void;
}

/** The defaults of {@link JetStreamEventPublisherOptions}. */
export const JETSTREAM_PUBLISHER_DEFAULTS = Object.freeze({
  subjectPrefix: 'aegispay.events',
  ackTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  reconnectWaitMs: 1_000,
  name: 'aegispay',
});

/** {@link JetStreamEventPublisherOptions}, checked, with every default applied. */
export interface JetStreamPublisherSettings {
  readonly servers: readonly string[];
  readonly subjects: EventSubjects;
  readonly stream: EventStreamConfig;
  readonly merchantOf: ((event: DomainEvent) => string | undefined | Promise<string | undefined>) | undefined;
  readonly ackTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnectWaitMs: number;
  readonly name: string;
  readonly connection: JetStreamEventPublisherOptions['connection'];
  readonly onStateChange: JetStreamEventPublisherOptions['onStateChange'];
}

const checks = new OptionChecks('NATS.INVALID_OPTION', 'JetStreamEventPublisher');

/**
 * Checks the options and applies the defaults.
 * @throws InvalidOptionError `NATS.INVALID_OPTION` naming the first malformed option.
 */
export function publisherSettings(options: JetStreamEventPublisherOptions): JetStreamPublisherSettings {
  checks.object('options', options, undefined);
  const servers = typeof options.servers === 'string' ? [options.servers] : checks.nonEmptyArray('servers', options.servers, undefined);
  for (const server of servers) {
    if (typeof server !== 'string' || !/^(nats|tls):\/\/[^\s/]+\/?$|^[^\s/:]+:\d+$/.test(server)) {
      throw checks.invalid('servers', 'must be nats://host:port (or tls://…, or host:port) addresses', typeof server === 'string' ? redact(server) : server);
    }
  }
  const subjects = new EventSubjects(checks.string('subjectPrefix', options.subjectPrefix, JETSTREAM_PUBLISHER_DEFAULTS.subjectPrefix));
  return {
    servers,
    subjects,
    stream: eventStreamConfig(checks.object('stream', options.stream, {}), subjects.all()),
    merchantOf: checks.optionalFunction('merchantOf', options.merchantOf),
    ackTimeoutMs: checks.integer('ackTimeoutMs', options.ackTimeoutMs, JETSTREAM_PUBLISHER_DEFAULTS.ackTimeoutMs, { min: 1 }),
    connectTimeoutMs: checks.integer('connectTimeoutMs', options.connectTimeoutMs, JETSTREAM_PUBLISHER_DEFAULTS.connectTimeoutMs, { min: 1 }),
    reconnectWaitMs: checks.integer('reconnectWaitMs', options.reconnectWaitMs, JETSTREAM_PUBLISHER_DEFAULTS.reconnectWaitMs, { min: 0 }),
    name: checks.string('name', options.name, JETSTREAM_PUBLISHER_DEFAULTS.name),
    connection: checks.object('connection', options.connection, {}),
    onStateChange: checks.optionalFunction('onStateChange', options.onStateChange),
  };
}

/** A server address for messages: any `user:pass@` removed. */
export function redact(server: string): string {
  return server.replace(/\/\/[^@/]*@/, '//');
}
