import { EVENT_STREAM_DEFAULTS } from '../stream/event-stream';
import { JETSTREAM_PUBLISHER_DEFAULTS, publisherSettings, redact, type JetStreamEventPublisherOptions } from './jetstream-event-publisher.options';

describe(publisherSettings, () => {
  describe('when only the servers are given', () => {
    it('should apply the documented defaults', () => {
      const settings = publisherSettings({ servers: 'nats://127.0.0.1:4222' });

      const { subjectPrefix, ...defaults } = JETSTREAM_PUBLISHER_DEFAULTS;

      expect(settings).toMatchObject({ servers: ['nats://127.0.0.1:4222'], ...defaults, subjects: { prefix: subjectPrefix } });
      expect(settings.stream).toEqual({
        name: 'AEGISPAY_EVENTS',
        description: expect.any(String) as string,
        subjects: ['aegispay.events.>'],
        retention: 'limits',
        storage: 'file',
        discard: 'old',
        duplicate_window: EVENT_STREAM_DEFAULTS.duplicateWindowMs * 1_000_000,
        max_age: EVENT_STREAM_DEFAULTS.maxAgeMs * 1_000_000,
        max_bytes: -1,
        num_replicas: 1,
      });
    });
  });

  describe('when an option is malformed', () => {
    it.each<[string, Partial<JetStreamEventPublisherOptions>, string]>([
      ['no servers', { servers: [] }, 'servers'],
      ['a server that is not an address', { servers: 'http://nats:4222' }, 'servers'],
      ['a prefix with a wildcard', { subjectPrefix: 'events.*' }, 'subjectPrefix'],
      ['an ack timeout of 0', { ackTimeoutMs: 0 }, 'ackTimeoutMs'],
      ['a negative reconnect wait', { reconnectWaitMs: -1 }, 'reconnectWaitMs'],
      ['a stream name with a dot', { stream: { name: 'AEGISPAY.EVENTS' } }, 'stream.name'],
      ['a duplicate window longer than the age limit', { stream: { duplicateWindowMs: 120_000, maxAgeMs: 60_000 } }, 'stream.duplicateWindowMs'],
      ['a size limit of 0', { stream: { maxBytes: 0 } }, 'stream.maxBytes'],
      ['six replicas', { stream: { replicas: 6 } }, 'stream.replicas'],
      ['an unknown storage', { stream: { storage: 'disk' as 'file' } }, 'stream.storage'],
      ['a merchantOf that is not a function', { merchantOf: 'payload' as never }, 'merchantOf'],
    ])('should refuse %s, naming the option', (_what, options, field) => {
      expect(() => publisherSettings({ servers: 'nats://127.0.0.1:4222', ...options })).toThrow(expect.objectContaining({ code: 'NATS.INVALID_OPTION', field }) as Error);
    });

    it('should never echo a password given in a server address', () => {
      expect(() => publisherSettings({ servers: 'nats://user:s3cret@nats host:4222' })).toThrow(expect.not.objectContaining({ message: expect.stringContaining('s3cret') as string }) as Error);
    });
  });

  describe('when several servers of a cluster are given', () => {
    it('should keep them all, with host:port or nats:// and tls:// addresses', () => {
      expect(publisherSettings({ servers: ['nats://a:4222', 'tls://b:4222', 'c:4222'] }).servers).toEqual(['nats://a:4222', 'tls://b:4222', 'c:4222']);
    });
  });
});

describe(redact, () => {
  it('should drop credentials from an address', () => {
    expect(redact('nats://user:pass@10.0.0.5:4222')).toBe('nats://10.0.0.5:4222');
    expect(redact('nats://10.0.0.5:4222')).toBe('nats://10.0.0.5:4222');
  });
});
