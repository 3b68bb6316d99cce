import { AegisPayError } from '../errors/aegispay.error';
import { EventPublisherUnavailableError } from './event-publisher.errors';

describe(EventPublisherUnavailableError, () => {
  it('should carry a stable code, the publisher, the cause and say the events wait in the outbox', () => {
    const cause = new Error('connection refused');
    const error = new EventPublisherUnavailableError('NATS JetStream at nats://127.0.0.1:4222', 'not connected', { cause });

    expect(error.code).toBe('EVENTS.PUBLISHER_UNAVAILABLE');
    expect(EventPublisherUnavailableError.is(error)).toBe(true);
    expect(AegisPayError.is(error)).toBe(true);
    expect(EventPublisherUnavailableError.is(new Error(error.message))).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({ publisher: 'NATS JetStream at nats://127.0.0.1:4222', details: { publisher: 'NATS JetStream at nats://127.0.0.1:4222' } });
    expect(error.message).toBe(
      'NATS JetStream at nats://127.0.0.1:4222 is unavailable: not connected. The events stay in the outbox and are published once it is back.',
    );
  });
});
