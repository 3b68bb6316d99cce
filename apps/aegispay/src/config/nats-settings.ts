import { EVENT_STREAM_DEFAULTS, JETSTREAM_PUBLISHER_DEFAULTS } from '@aegispay/nats';
import { z } from 'zod';

/**
 * The settings of events to NATS JetStream, opt-in: with `natsUrl` unset the outbox relay
 * publishes to the in-process event log, as it always did. Kept in one block, spread into the
 * schema, the sources and the defaults of the configuration.
 */

const SERVER = /^(nats|tls):\/\/[^\s/]+\/?$|^[^\s/:]+:\d+$/;
const STREAM = /^[A-Za-z0-9_-]{1,255}$/;
const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The NATS settings' part of the schema (file keys → checks). */
export const natsSettings = {
  natsUrl: z
    .union([z.string(), z.array(z.string()), z.null()], { error: 'must be nats://host:port, several comma-separated, or null' })
    .transform((value, context) => {
      const servers = (value === null ? [] : typeof value === 'string' ? value.split(',') : value).map((server) => server.trim()).filter((server) => server !== '');
      for (const server of servers) {
        if (!SERVER.test(server)) context.addIssue({ code: 'custom', message: 'each server must be nats://host:port (or tls://host:port, or host:port)' });
      }
      return servers.length === 0 ? null : servers;
    }),
  natsStream: z.string({ error: 'must be a string' }).regex(STREAM, 'must be 1–255 letters, digits, "_" or "-"'),
  natsSubjectPrefix: z.string({ error: 'must be a string' }).regex(PREFIX, 'must be dot-separated tokens of letters, digits, "_" and "-" (no wildcards)'),
  natsStreamReplicas: z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/).transform(Number)], { error: 'must be an integer between 1 and 5' })
    .pipe(z.number().int('must be an integer between 1 and 5').min(1, 'must be at least 1').max(5, 'must be at most 5')),
};

/** Where each NATS setting comes from. */
export const NATS_SOURCES = {
  natsUrl: 'AEGISPAY_NATS_URL',
  natsStream: 'AEGISPAY_NATS_STREAM',
  natsSubjectPrefix: 'AEGISPAY_NATS_SUBJECT_PREFIX',
  natsStreamReplicas: 'AEGISPAY_NATS_STREAM_REPLICAS',
} as const;

/** Their defaults: no broker; the publisher's own stream name and subject prefix. */
export const NATS_DEFAULTS = {
  natsUrl: null,
  natsStream: EVENT_STREAM_DEFAULTS.name,
  natsSubjectPrefix: JETSTREAM_PUBLISHER_DEFAULTS.subjectPrefix,
  natsStreamReplicas: EVENT_STREAM_DEFAULTS.replicas,
};

/** Where the outbox relay publishes: NATS JetStream, or (`null`) the in-process event log. */
export interface NatsConfig {
  /** The servers (one, or a cluster's). */
  readonly servers: readonly string[];
  readonly stream: string;
  readonly subjectPrefix: string;
  /** Copies of the stream in a JetStream cluster (1 on a single server, 3 on a cluster of three). */
  readonly streamReplicas: number;
}

/** The `nats` part of the app's configuration, from the checked settings. */
export function natsConfigOf(settings: {
  readonly natsUrl: string[] | null;
  readonly natsStream: string;
  readonly natsSubjectPrefix: string;
  readonly natsStreamReplicas: number;
}): NatsConfig | null {
  if (settings.natsUrl === null) return null;
  return Object.freeze({
    servers: Object.freeze([...settings.natsUrl]),
    stream: settings.natsStream,
    subjectPrefix: settings.natsSubjectPrefix,
    streamReplicas: settings.natsStreamReplicas,
  });
}
