import { AEGISPAY_MIGRATIONS, migrate } from '@aegispay/typeorm';
import { startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import { HTTP_TOKENS } from './http.tokens';
import type { ProblemDetails } from './problem-details';

const LAST_MIGRATION = new (AEGISPAY_MIGRATIONS[AEGISPAY_MIGRATIONS.length - 1] as new () => { name: string })().name;

describe.each(testDialects('Probes over HTTP'))('GET /livez and /readyz on %s', (dialect) => {
  let api: ApiHarness;

  beforeEach(async () => {
    api = await startApi(dialect);
  });
  afterEach(async () => {
    await api.stop();
  });

  describe('when the server is up and migrated', () => {
    it('should answer both 200 without authentication, each check passed', async () => {
      const live = await api.http().get('/livez');
      const ready = await api.http().get('/readyz');

      expect(live.status).toBe(200);
      expect(live.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(live.body).toEqual({ status: 'live' });
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', checks: { database: { status: 'pass' }, migrations: { status: 'pass' }, shutdown: { status: 'pass' } } });
    });
  });

  describe('when a migration of this build has not been applied', () => {
    it('should answer /readyz 503 SERVER.NOT_READY naming it, stay live, and be ready again once migrated', async () => {
      const other = await api.database.open();
      try {
        await other.undoLastMigration({ transaction: 'each' });

        const ready = await api.http().get('/readyz');
        const live = await api.http().get('/livez');
        const health = await api.http().get('/healthz');
        await migrate(other);
        const again = await api.http().get('/readyz');

        expect(ready.status).toBe(503);
        expect(ready.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(ready.body as ProblemDetails).toMatchObject({
          code: 'SERVER.NOT_READY',
          retryable: true,
          detail: `Not ready: migrations: 1 not applied (${LAST_MIGRATION}): run aegispay migrate.`,
          checks: { database: { status: 'pass' }, migrations: { status: 'fail' }, shutdown: { status: 'pass' } },
        });
        expect(live.status).toBe(200);
        expect(health.status).toBe(200);
        expect(again.status).toBe(200);
      } finally {
        await other.destroy();
      }
    });
  });

  describe('when the server has begun shutting down', () => {
    it('should answer /readyz 503 naming the shutdown and /livez 200, while other requests are refused', async () => {
      api.app.get(HTTP_TOKENS.ServerLifecycle).drain();

      const ready = await api.http().get('/readyz');
      const live = await api.http().get('/livez');
      const health = await api.http().get('/healthz');

      expect(ready.status).toBe(503);
      expect(ready.body as ProblemDetails).toMatchObject({ code: 'SERVER.NOT_READY', checks: { shutdown: { status: 'fail', detail: 'the server is shutting down' } } });
      expect(ready.headers['connection']).toBe('close');
      expect(live.status).toBe(200);
      expect(health.status).toBe(503);
      expect((health.body as ProblemDetails).code).toBe('SERVER.SHUTTING_DOWN');
    });
  });
});
