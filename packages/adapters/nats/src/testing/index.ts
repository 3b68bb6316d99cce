export { findNatsServer, startNatsServer, type NatsServer, type NatsServerOptions } from './nats-server';
export { readStoredEvents, type StoredEvent } from './stored-events';
