export { findNatsServer, startNatsServer, type NatsServer, type NatsServerOptions } from './nats-server';
