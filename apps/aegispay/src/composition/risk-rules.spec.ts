import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadConfigOptions } from '../config/app-config';
import { createAppContainer, type AppContainer } from './app-container';
import { RISK_RULES } from './risk-rules';
import { TOKENS } from './tokens';

describe('the composed app (serve, the demo, chaos experiments)', () => {
  let directory: string;
  let app: AppContainer | undefined;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-rules-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  async function compose(overrides: NonNullable<LoadConfigOptions['overrides']> = {}): Promise<AppContainer> {
    app = await createAppContainer(loadConfig({ env: {}, overrides: { persistence: 'memory', zeroLatency: true, seed: 1, ...overrides } }));
    return app;
  }

  describe('its hook registry', () => {
    it('should hold the three default risk rules as fraud checks', async () => {
      const registry = (await compose()).get(TOKENS.HookRegistry);

      expect(registry.list('FRAUD_CHECK').map((hook) => hook.name)).toEqual([RISK_RULES.maxAmount, RISK_RULES.customerVelocity, RISK_RULES.tokenVelocity]);
    });

    it('should leave out a velocity rule whose limit is 0', async () => {
      const registry = (await compose({ customerVelocityLimit: 0, tokenVelocityLimit: 0 })).get(TOKENS.HookRegistry);

      expect(registry.list('FRAUD_CHECK').map((hook) => hook.name)).toEqual([RISK_RULES.maxAmount]);
    });
  });

  describe('.start / .close', () => {
    it('should start and stop the retention loop with the others', async () => {
      const composed = await compose({ persistence: 'typeorm', databaseUrl: `sqlite:${join(directory, 'aegispay.sqlite')}` });
      const sweeper = composed.get(TOKENS.RetentionSweeper);

      composed.start();
      expect(sweeper?.isRunning).toBe(true);
      await composed.close();

      expect(sweeper?.isRunning).toBe(false);
    });
  });
});
