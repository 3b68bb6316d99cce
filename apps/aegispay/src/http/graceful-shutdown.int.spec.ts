import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody, Gate, GatedGateway, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

/** Resolves with the error code of a request to `url`, or `answered` if the server answered. */
function probe(url: string): Promise<string> {
  return new Promise((resolve) => {
    const request = httpRequest(`${url}/healthz`, { agent: false }, (response) => {
      response.resume();
      resolve('answered');
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end();
  });
}

describe.each(testDialects('HTTP API graceful shutdown'))('HttpServer graceful shutdown on %s', (dialect) => {
  let api: ApiHarness;
  let gate: Gate;

  beforeEach(async () => {
    gate = new Gate();
    api = await startApi(dialect, { wrapGateways: (gateways) => gateways.map((gateway) => new GatedGateway(gateway, gate)), shutdownGraceMs: 10_000 });
  });
  afterEach(async () => {
    gate.open();
    await api.stop();
  });

  describe('.shutdown', () => {
    describe('when a payment is in flight', () => {
      it('should stop accepting connections, finish the payment, then stop the loops and close the database', async () => {
        const inFlight = api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', 'in-flight-1').send(aPaymentBody()).then((response) => response);
        await gate.entered;

        const shutdown = api.server.shutdown();
        const stateWhileDraining = api.server.state;
        const newcomer = await probe(api.url);
        gate.open();
        const response = await inFlight;
        await shutdown;

        expect(stateWhileDraining).toBe('DRAINING');
        expect(newcomer).toBe('ECONNREFUSED');
        expect(response.status).toBe(201);
        expect((response.body as PaymentResponseBody).payment.status).toBe('PAID');
        expect(response.headers['connection']).toBe('close');
        expect(api.charges()).toBe(1);
        expect(await api.count('payments')).toBe(1);
        expect(api.server.state).toBe('CLOSED');
        expect(api.app.get(TOKENS.PaymentRecovery).isRunning).toBe(false);
        expect(api.app.get(TOKENS.OutboxRelay).isRunning).toBe(false);
        expect(api.app.dataSource?.isInitialized).toBe(false);
        expect(api.logs()).toContain('shutting down: no new requests; finishing those in flight');
      });
    });

    describe('when the in-flight work outlasts the grace period', () => {
      it('should tell it to stop waiting, answer 503 and close, leaving the payment to recovery', async () => {
        const inFlight = api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', 'too-slow-1').send(aPaymentBody()).then((response) => response);
        await gate.entered;

        const shutdown = api.server.shutdown();
        await api.clock.advance(10_000);
        const response = await inFlight;
        gate.open();
        await shutdown;

        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ code: 'SERVER.SHUTTING_DOWN', retryable: true });
        expect(api.logs()).toContain('shutdown grace period over');
        expect(api.server.state).toBe('CLOSED');
        // The charge was not sent when the wait was cut short: the stored payment is left to recovery.
        expect(api.charges()).toBe(0);
        expect(await api.count('payments')).toBe(1);
      });
    });

    describe('when a client is still sending its body at the end of the grace period', () => {
      it('should stop waiting for it, answer 503 and close, instead of holding the shutdown open', async () => {
        const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(
          `POST /v1/payments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${MERCHANT_A.key}\r\nIdempotency-Key: slow-body-1\r\n` +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"amount":',
        );
        // The request reaches the server (it counts as in flight) and waits for the rest of its body.
        while ((await api.http().get('/healthz')).body.inFlight < 2) await new Promise((resolve) => setImmediate(resolve));

        const shutdown = api.server.shutdown();
        await api.clock.advance(10_000);
        await shutdown;
        await closed;

        expect(api.server.state).toBe('CLOSED');
        expect(received).toMatch(/^HTTP\/1\.1 503 /);
        expect(received).toContain('SERVER.SHUTTING_DOWN');
        expect(await api.count('payments')).toBe(0);
      });
    });

    describe('when nothing is in flight', () => {
      it('should close at once and be idempotent', async () => {
        const first = api.server.shutdown();
        const second = api.server.close();

        await Promise.all([first, second]);

        expect(api.server.state).toBe('CLOSED');
        expect(await probe(api.url)).toBe('ECONNREFUSED');
      });
    });
  });
});
