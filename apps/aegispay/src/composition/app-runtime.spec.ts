import { AppCloseError, AppRuntime, type RuntimeLoop } from './app-runtime';

function loop(stop: () => Promise<void> = () => Promise.resolve()): RuntimeLoop & { started: number } {
  return {
    started: 0,
    isRunning: false,
    start() {
      this.started += 1;
    },
    stop,
  };
}

function database(destroy: () => Promise<void> = () => Promise.resolve()): { isInitialized: boolean; destroy: () => Promise<void>; destroyed: number } {
  const fake = {
    isInitialized: true,
    destroyed: 0,
    async destroy() {
      fake.destroyed += 1;
      fake.isInitialized = false;
      await destroy();
    },
  };
  return fake;
}

describe(AppRuntime, () => {
  describe('.start', () => {
    it('should start every loop once, however often it is called', () => {
      const recovery = loop();
      const runtime = new AppRuntime({ loops: { recovery }, dataSource: null });

      runtime.start();
      runtime.start();

      expect(recovery.started).toBe(1);
      expect(runtime.isStarted).toBe(true);
    });
  });

  describe('with an event broker', () => {
    it('should connect it before the loops start, and close it after they stopped and before the database', async () => {
      const steps: string[] = [];
      const broker = { start: () => steps.push('broker start'), close: async () => void steps.push('broker close') };
      const relay = loop(async () => void steps.push('relay stopped'));
      relay.start = () => void steps.push('relay start');
      const dataSource = database(async () => void steps.push('database closed'));
      const runtime = new AppRuntime({ loops: { outboxRelay: relay }, dataSource, broker });

      runtime.start();
      await runtime.close();

      expect(steps).toEqual(['broker start', 'relay start', 'relay stopped', 'broker close', 'database closed']);
    });

    it('should report a broker that fails to close, after trying every other step', async () => {
      const dataSource = database();
      const runtime = new AppRuntime({ loops: { recovery: loop() }, dataSource, broker: { start: () => undefined, close: () => Promise.reject(new Error('drain timed out')) } });
      runtime.start();

      await expect(runtime.close()).rejects.toMatchObject({ failures: [{ step: 'event broker' }] });
      expect(dataSource.destroyed).toBe(1);
    });
  });

  describe('.close', () => {
    describe('when every step succeeds', () => {
      it('should stop the loops and close the database', async () => {
        const dataSource = database();
        const runtime = new AppRuntime({ loops: { recovery: loop() }, dataSource });
        runtime.start();

        await runtime.close();

        expect(dataSource.destroyed).toBe(1);
        expect(runtime.isStarted).toBe(false);
      });
    });

    describe('when a loop fails to stop and the database fails to close', () => {
      it('should still try every step, then report each failure instead of swallowing it', async () => {
        const dataSource = database(() => Promise.reject(new Error('connection reset')));
        const runtime = new AppRuntime({ loops: { recovery: loop(), outboxRelay: loop(() => Promise.reject(new Error('relay stuck'))) }, dataSource });
        runtime.start();

        const closing = runtime.close();

        await expect(closing).rejects.toThrow(AppCloseError);
        await expect(closing).rejects.toMatchObject({
          code: 'APP.CLOSE_FAILED',
          message: 'The app did not close cleanly: loop outboxRelay (relay stuck); database (connection reset).',
          failures: [{ step: 'loop outboxRelay' }, { step: 'database' }],
        });
        expect(dataSource.destroyed).toBe(1);
      });
    });
  });
});
