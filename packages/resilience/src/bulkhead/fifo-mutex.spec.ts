import { deferred } from '@aegispay/domain/testing';
import { FifoMutex } from './fifo-mutex';

describe(FifoMutex, () => {
  describe('.runExclusive', () => {
    describe('when sections are queued while one runs', () => {
      it('should run them one at a time, in call order', async () => {
        const mutex = new FifoMutex();
        const first = deferred<void>();
        const log: string[] = [];

        const runs = [
          mutex.runExclusive(async () => {
            log.push('a:start');
            await first.promise;
            log.push('a:end');
          }),
          mutex.runExclusive(async () => void log.push('b')),
          mutex.runExclusive(async () => void log.push('c')),
        ];
        await Promise.resolve();
        expect(log).toEqual(['a:start']);

        first.resolve();
        await Promise.all(runs);
        expect(log).toEqual(['a:start', 'a:end', 'b', 'c']);
      });
    });

    describe('when a section rejects', () => {
      it('should reject with its error and let the next section run', async () => {
        const mutex = new FifoMutex();
        const failure = new Error('statement failed');

        const failed = mutex.runExclusive(() => Promise.reject(failure));
        const next = mutex.runExclusive(async () => 'ran');

        await expect(failed).rejects.toBe(failure);
        await expect(next).resolves.toBe('ran');
      });
    });
  });
});
