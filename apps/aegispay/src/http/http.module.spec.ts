import { FakeClock } from '@aegispay/domain/testing';
import { createAppContainer, type AppContainer } from '../composition/app-container';
import { loadConfig } from '../config/app-config';
import { API_CONTEXT } from './api-context';
import { httpModule } from './http.module';
import { HTTP_TOKENS } from './http.tokens';

describe(httpModule, () => {
  let app: AppContainer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('should bind the API context under the symbol Nest injects it by', () => {
    expect(HTTP_TOKENS.ApiContext).toBe(API_CONTEXT);
  });

  describe('when the server is resolved from the container', () => {
    it('should build it once, over the services and the lifecycle of that same container', async () => {
      const config = loadConfig({ env: {}, overrides: { persistence: 'memory', zeroLatency: true, apiKeys: { sk_test_http_module_0001: 'merchant_1' } } });
      app = await createAppContainer(config, { clock: new FakeClock(), modules: [httpModule({ shutdownGraceMs: 5_000 })] });

      const server = await app.getAsync(HTTP_TOKENS.HttpServer);

      expect(await app.getAsync(HTTP_TOKENS.HttpServer)).toBe(server);
      expect(server.metrics).toBe(app.get(HTTP_TOKENS.ApiMetrics));
      expect(server.state).toBe('RUNNING');
      expect(app.get(HTTP_TOKENS.ApiContext).lifecycle).toBe(app.get(HTTP_TOKENS.ServerLifecycle));
      expect(app.get(HTTP_TOKENS.ApiKeyAuthenticator).authenticate('Bearer sk_test_http_module_0001')).toEqual({ ok: true, merchantId: 'merchant_1' });
      await server.close();
      expect(server.state).toBe('CLOSED');
    });
  });
});
