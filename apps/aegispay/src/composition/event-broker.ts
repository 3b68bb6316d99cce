import type { PaymentRepository } from '@aegispay/domain';
import { JetStreamEventPublisher } from '@aegispay/nats';
import type { Logger } from 'pino';
import type { NatsConfig } from '../config/nats-settings';
import { errorLogFields } from '../logging/error-log-fields';

/**
 * The JetStream publisher for `nats` (`AEGISPAY_NATS_URL`): subjects `<prefix>.<merchant>.<EventType>`
 * on the configured stream, the merchant of an event stored before events named it looked up in
 * `payments`, connection changes logged. It connects when the runtime starts; while NATS is away
 * the outbox keeps the events and payments go on.
 */
export function createEventBroker(nats: NatsConfig, logger: Logger, payments: PaymentRepository): JetStreamEventPublisher {
  return new JetStreamEventPublisher({
    servers: nats.servers,
    stream: { name: nats.stream, replicas: nats.streamReplicas },
    subjectPrefix: nats.subjectPrefix,
    merchantOf: async (event) => (event.aggregateType === 'Payment' ? (await payments.findById(event.aggregateId))?.merchantId : undefined),
    onStateChange: (state, error) => {
      const fields = { stream: nats.stream, state, ...(error === undefined ? {} : { error: errorLogFields(error) }) };
      if (state === 'connected') logger.info(fields, 'event broker connected: the outbox relay publishes to NATS JetStream');
      else if (state === 'reconnecting' || (state === 'idle' && error !== undefined)) logger.warn(fields, 'event broker unavailable: events wait in the outbox until it is back');
    },
  });
}
