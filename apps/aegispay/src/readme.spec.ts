import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { AppContainer } from './composition/app-container';
import { TOKENS } from './composition/tokens';
import { createServeCommand, type SignalSource } from './cli/serve.command';
import { bufferIo } from './cli/__fixtures__/buffer-io';
import { DEVELOPMENT_API_KEY } from './http/development-api-key';
import type { HttpServer } from './http/http-server';
import { main, publisher } from './readme.example';

const EXAMPLE = join(__dirname, 'readme.example.ts');

describe('README "Swap an adapter"', () => {
  describe('main (your own server, composed in code)', () => {
    it('should pay through the rebound gateway and publish the events to the rebound publisher', async () => {
      await expect(main()).resolves.toEqual({
        status: 201,
        gateway: 'ACME',
        events: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded'],
      });
    });
  });

  describe('aegispay serve --bindings <the example>', () => {
    it('should load its default export over the app, pay through ACME and publish to the example publisher', async () => {
      const signals = new EventEmitter();
      const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory', AEGISPAY_LOG_LEVEL: 'warn' });
      let listening!: (started: { server: HttpServer; app: AppContainer }) => void;
      const started = new Promise<{ server: HttpServer; app: AppContainer }>((resolve) => (listening = resolve));
      const command = createServeCommand({ signals: signals as SignalSource, onListening: (server, app) => listening({ server, app }) });

      const running = command.run(['--port', '0', '--bindings', EXAMPLE], io);
      const { server, app } = await started;

      const answer = await request(server.url)
        .post('/v1/payments')
        .set('Authorization', `Bearer ${DEVELOPMENT_API_KEY}`)
        .set('Idempotency-Key', 'swap-an-adapter-1')
        .send({ amount: 500, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_approve_visa' } });
      await app.get(TOKENS.OutboxRelay).drain();
      signals.emit('SIGTERM');

      expect(await running).toBe(0);
      expect(answer.status).toBe(201);
      expect(answer.body.payment.gateway).toBe('ACME');
      expect(app.get(TOKENS.PaymentGateways).map((gateway) => gateway.name)).toEqual(['ACME']);
      expect(publisher.published.filter((event) => event.aggregateId === answer.body.payment.id).map((event) => event.type)).toContain('PaymentSucceeded');
    });
  });

  describe('README.md', () => {
    it('should contain the example verbatim', () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      expect(readme).toContain(readFileSync(EXAMPLE, 'utf8').trim());
    });
  });
});
