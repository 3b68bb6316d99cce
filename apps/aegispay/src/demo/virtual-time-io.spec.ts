import { VirtualClock } from '@aegispay/domain';
import type { DataSource, QueryRunner } from 'typeorm';
import { holdVirtualTimeDuringQueries } from './virtual-time-io';

const turns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** A data source whose queries stay on the wire until the test answers them. */
function wireDataSource(): { dataSource: DataSource; answer: () => void } {
  let answer = (): void => undefined;
  const dataSource = {
    createQueryRunner: (): QueryRunner =>
      ({
        connect: async () => undefined,
        query: () => new Promise<void>((resolve) => (answer = resolve)),
      }) as unknown as QueryRunner,
  } as unknown as DataSource;
  return { dataSource, answer: () => answer() };
}

describe(holdVirtualTimeDuringQueries, () => {
  describe('when a query is on the wire', () => {
    it('should keep an auto-advancing clock still until it is answered, then let it move again', async () => {
      const clock = new VirtualClock({ autoAdvance: true, start: 0 });
      const { dataSource, answer } = wireDataSource();
      holdVirtualTimeDuringQueries(dataSource, clock);
      let fired = false;
      clock.setTimer(1_000, () => (fired = true));

      const query = dataSource.createQueryRunner().query('SELECT 1');
      await turns(10);
      const whileWaiting = { now: clock.now(), fired };
      answer();
      await query;
      await turns(3);

      expect(whileWaiting).toEqual({ now: 0, fired: false });
      expect(fired).toBe(true);
      expect(clock.now()).toBe(1_000);
    });
  });

  describe('when the hold is removed', () => {
    it('should give the data source its own createQueryRunner back', () => {
      const { dataSource } = wireDataSource();
      const original = dataSource.createQueryRunner;

      const release = holdVirtualTimeDuringQueries(dataSource, new VirtualClock({ autoAdvance: true }));
      const wrapped = dataSource.createQueryRunner;
      release();

      expect(wrapped).not.toBe(original);
      expect(dataSource.createQueryRunner).toBe(original);
    });
  });
});
