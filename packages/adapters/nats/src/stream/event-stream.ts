import { OptionChecks } from '@aegispay/domain';
import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { NatsStreamConflictError } from '../errors/nats.errors';

/** The stream the events are kept in. Every setting has a default. */
export interface EventStreamSettings {
  /** The stream's name: letters, digits, `_` and `-`. Defaults to `AEGISPAY_EVENTS`. */
  readonly name?: string;
  /**
   * How long the server remembers event ids to drop a republished event (`duplicate_window`). It
   * must cover the longest time between a publish the broker stored and its republication: the
   * relay's lease (60 s by default) for a relay that died before marking, its error backoff (5 s)
   * after an acknowledgement lost to a broker restart. Consumers still de-duplicate on the event
   * id (an outage longer than the window can deliver an event twice). Each id in the window costs
   * the server memory. Defaults to 300 000 ms (5 minutes).
   */
  readonly duplicateWindowMs?: number;
  /** How long events are kept (`max_age`); 0 keeps them until `maxBytes`. Defaults to 604 800 000 ms (7 days). */
  readonly maxAgeMs?: number;
  /** Size limit of the stream in bytes, oldest events dropped first (`max_bytes`); -1 for none. Defaults to -1. */
  readonly maxBytes?: number;
  /** Copies kept in a JetStream cluster (`num_replicas`, 1 to 5). Defaults to 1; use 3 on a cluster of three. */
  readonly replicas?: number;
  /** `file` (survives a server restart) or `memory`. Defaults to `file`. */
  readonly storage?: 'file' | 'memory';
}

/** The defaults of {@link EventStreamSettings}. */
export const EVENT_STREAM_DEFAULTS = Object.freeze({
  name: 'AEGISPAY_EVENTS',
  duplicateWindowMs: 300_000,
  maxAgeMs: 604_800_000,
  maxBytes: -1,
  replicas: 1,
  storage: 'file' as const,
});

/** The stream settings the publisher manages; the server's defaults stand for the rest. */
export type EventStreamConfig = Pick<
  StreamConfig,
  'name' | 'description' | 'subjects' | 'retention' | 'storage' | 'discard' | 'duplicate_window' | 'max_age' | 'max_bytes' | 'num_replicas'
>;

/** What {@link ensureEventStream} did. */
export type EnsureStreamOutcome = 'created' | 'updated' | 'unchanged';

const NANOS_PER_MS = 1_000_000;
const STREAM_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const checks = new OptionChecks('NATS.INVALID_OPTION', 'EventStreamSettings');

/**
 * The stream configuration for `settings`, capturing `subjects` (`<prefix>.>`): retention by
 * limits (every consumer reads independently; events leave by age or size only), file storage,
 * old events discarded first, and the duplicate window that makes a republished event id a no-op.
 *
 * @throws InvalidOptionError `NATS.INVALID_OPTION` naming a malformed setting.
 */
export function eventStreamConfig(settings: EventStreamSettings, subjects: string): EventStreamConfig {
  const name = checks.string('stream.name', settings.name, EVENT_STREAM_DEFAULTS.name);
  if (!STREAM_NAME.test(name)) throw checks.invalid('stream.name', 'must be 1–255 letters, digits, "_" or "-"', name);
  const duplicateWindowMs = checks.integer('stream.duplicateWindowMs', settings.duplicateWindowMs, EVENT_STREAM_DEFAULTS.duplicateWindowMs, { min: 1 });
  const maxAgeMs = checks.integer('stream.maxAgeMs', settings.maxAgeMs, EVENT_STREAM_DEFAULTS.maxAgeMs, { min: 0 });
  if (maxAgeMs > 0 && duplicateWindowMs > maxAgeMs) throw checks.invalid('stream.duplicateWindowMs', `must not exceed stream.maxAgeMs (${maxAgeMs})`, duplicateWindowMs);
  const maxBytes = checks.integer('stream.maxBytes', settings.maxBytes, EVENT_STREAM_DEFAULTS.maxBytes, { min: -1 });
  if (maxBytes === 0) throw checks.invalid('stream.maxBytes', 'must be -1 (no limit) or a positive size', maxBytes);
  const replicas = checks.integer('stream.replicas', settings.replicas, EVENT_STREAM_DEFAULTS.replicas, { min: 1, max: 5 });
  const storage = checks.oneOf('stream.storage', settings.storage, EVENT_STREAM_DEFAULTS.storage, ['file', 'memory']);
  return {
    name,
    description: 'AegisPay domain events, published from the transactional outbox (subjects <prefix>.<merchant>.<EventType>).',
    subjects: [subjects],
    retention: RetentionPolicy.Limits,
    storage: storage === 'file' ? StorageType.File : StorageType.Memory,
    discard: DiscardPolicy.Old,
    duplicate_window: duplicateWindowMs * NANOS_PER_MS,
    max_age: maxAgeMs * NANOS_PER_MS,
    max_bytes: maxBytes,
    num_replicas: replicas,
  };
}

/**
 * Creates the stream, or brings an existing one to `config`: idempotent, safe to run from every
 * instance at every start. An existing stream keeps subjects an operator added (the events'
 * subject is added when missing); the duplicate window, age and size limits, replicas and
 * discard policy are set to the configuration's.
 *
 * @throws NatsStreamConflictError when the storage or the retention policy differs (JetStream
 * cannot change them in place).
 * @throws whatever the client throws when the server cannot be reached.
 */
export async function ensureEventStream(jsm: JetStreamManager, config: EventStreamConfig): Promise<EnsureStreamOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await infoOrNull(jsm, config.name);
    if (current === null) {
      try {
        await jsm.streams.add(config);
        return 'created';
      } catch (error) {
        // Another instance created it in between: bring that one up to date instead.
        if (attempt < 2 && error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE) continue;
        throw error;
      }
    }
    if (current.storage !== config.storage) throw new NatsStreamConflictError(config.name, 'storage', current.storage, config.storage);
    if (current.retention !== config.retention) throw new NatsStreamConflictError(config.name, 'retention', current.retention, config.retention);
    const wanted = {
      subjects: current.subjects.includes(config.subjects[0] as string) ? current.subjects : [...current.subjects, ...config.subjects],
      duplicate_window: config.duplicate_window,
      max_age: config.max_age,
      max_bytes: config.max_bytes,
      num_replicas: config.num_replicas,
      discard: config.discard,
    };
    const unchanged = (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => JSON.stringify(current[key]) === JSON.stringify(wanted[key]));
    if (unchanged) return 'unchanged';
    await jsm.streams.update(config.name, { ...current, ...wanted });
    return 'updated';
  }
}

/** JetStream's "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;

async function infoOrNull(jsm: JetStreamManager, name: string): Promise<StreamConfig | null> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  }
}
