// The publisher
export { JetStreamEventPublisher, type JetStreamPublisherStatus } from './publisher/jetstream-event-publisher';
export {
  JETSTREAM_PUBLISHER_DEFAULTS,
  type JetStreamConnectionState,
  type JetStreamEventPublisherOptions,
} from './publisher/jetstream-event-publisher.options';

// Subjects, the stream and the messages
export { EventSubjects, decodeSubjectToken, encodeSubjectToken } from './subjects/event-subjects';
export {
  EVENT_STREAM_DEFAULTS,
  ensureEventStream,
  eventStreamConfig,
  type EnsureStreamOutcome,
  type EventStreamConfig,
  type EventStreamSettings,
} from './stream/event-stream';
export { decodeEventMessage, encodeEventMessage } from './messages/event-message';

// Errors
export { EventMerchantUnknownError, InvalidEventMessageError, NatsPublishRefusedError, NatsStreamConflictError } from './errors/nats.errors';
