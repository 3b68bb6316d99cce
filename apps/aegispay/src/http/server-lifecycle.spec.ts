import { ServerLifecycle } from './server-lifecycle';

describe(ServerLifecycle, () => {
  describe('.idle', () => {
    describe('when work is in flight', () => {
      it('should resolve only once the last piece ends, counting each end once', async () => {
        const lifecycle = new ServerLifecycle();
        const endFirst = lifecycle.begin();
        const endSecond = lifecycle.begin();
        let idle = false;
        const waiting = lifecycle.idle().then(() => (idle = true));

        endFirst();
        endFirst();
        await Promise.resolve();
        const idleAfterFirst = idle;
        endSecond();
        await waiting;

        expect(idleAfterFirst).toBe(false);
        expect(idle).toBe(true);
        expect(lifecycle.inFlight).toBe(0);
      });
    });
  });

  describe('.track', () => {
    it('should count the work while it runs, even when it fails', async () => {
      const lifecycle = new ServerLifecycle();
      let during = -1;

      await expect(
        lifecycle.track(async () => {
          during = lifecycle.inFlight;
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');

      expect(during).toBe(1);
      expect(lifecycle.inFlight).toBe(0);
    });
  });

  describe('.drain / .abort / .markClosed', () => {
    it('should move RUNNING → DRAINING → CLOSED and abort the shared signal with an AbortError', () => {
      const lifecycle = new ServerLifecycle();

      lifecycle.drain();
      const draining = lifecycle.state;
      lifecycle.abort();
      lifecycle.markClosed();

      expect(draining).toBe('DRAINING');
      expect(lifecycle.state).toBe('CLOSED');
      expect(lifecycle.signal.aborted).toBe(true);
      expect((lifecycle.signal.reason as DOMException).name).toBe('AbortError');
    });
  });
});
