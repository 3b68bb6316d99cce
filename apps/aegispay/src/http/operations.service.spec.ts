import { FakeClock } from '@aegispay/domain/testing';
import type { DataSource } from 'typeorm';
import { OperationsService, type OperationsServiceDependencies } from './operations.service';
import { ServerLifecycle } from './server-lifecycle';

function service(dataSource: DataSource | null, clock = new FakeClock(), lifecycle = new ServerLifecycle()): OperationsService {
  const deps: OperationsServiceDependencies = {
    breakers: {} as OperationsServiceDependencies['breakers'],
    gatewayMetrics: {} as OperationsServiceDependencies['gatewayMetrics'],
    gateways: [],
    minHealthScore: undefined,
    dataSource,
    loops: { recovery: { isRunning: true }, outboxRelay: { isRunning: true } },
    events: { outbox: { countUnpublished: async () => 0 }, broker: null },
    lifecycle,
    clock,
  };
  return new OperationsService(deps);
}

describe(OperationsService, () => {
  describe('.live', () => {
    it('should answer live whatever the database and the lifecycle', () => {
      const lifecycle = new ServerLifecycle();
      lifecycle.drain();

      expect(service({ isInitialized: false } as DataSource, new FakeClock(), lifecycle).live()).toEqual({ status: 'live' });
    });
  });

  describe('.ready', () => {
    describe('with in-memory persistence', () => {
      it('should be ready, saying why there is nothing to check', async () => {
        expect(await service(null).ready()).toEqual({
          status: 'ready',
          checks: { database: { status: 'pass', detail: 'in-memory persistence' }, migrations: { status: 'pass', detail: 'in-memory persistence' }, shutdown: { status: 'pass' } },
        });
      });
    });

    describe('when the database is closed', () => {
      it('should throw 503 SERVER.NOT_READY with the database failed and the migrations skipped', async () => {
        await expect(service({ isInitialized: false } as DataSource).ready()).rejects.toMatchObject({
          status: 503,
          code: 'SERVER.NOT_READY',
          message: 'Not ready: database: the database did not answer SELECT 1 within 2000 ms.',
          extensions: { checks: { database: { status: 'fail' }, migrations: { status: 'skip' }, shutdown: { status: 'pass' } } },
        });
      });
    });

    describe('when the database does not answer', () => {
      it('should fail the database check once the timeout has passed on the clock', async () => {
        const clock = new FakeClock();
        const hanging = { isInitialized: true, query: () => new Promise<never>(() => undefined) } as unknown as DataSource;
        const ready = service(hanging, clock).ready();
        const settled = ready.then(
          () => 'ready',
          (error: { code: string }) => error.code,
        );

        await clock.advance(2_000);

        expect(await settled).toBe('SERVER.NOT_READY');
      });
    });

    describe('when the database refuses the query', () => {
      it('should fail the database check', async () => {
        const refusing = { isInitialized: true, query: () => Promise.reject(new Error('connection reset')) } as unknown as DataSource;

        await expect(service(refusing).ready()).rejects.toMatchObject({ extensions: { checks: { database: { status: 'fail' } } } });
      });
    });

    describe('when the server is closed', () => {
      it('should fail the shutdown check', async () => {
        const lifecycle = new ServerLifecycle();
        lifecycle.drain();
        lifecycle.markClosed();

        await expect(service(null, new FakeClock(), lifecycle).ready()).rejects.toMatchObject({ message: 'Not ready: shutdown: the server is closed.' });
      });
    });
  });
});
