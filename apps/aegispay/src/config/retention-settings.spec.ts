import { problemsOf } from './__fixtures__/configuration-problems';
import { loadConfig } from './app-config';

describe('the retention settings', () => {
  it('should default to a sweep a minute, events kept 7 days, 500 rows a statement', () => {
    expect(loadConfig({ env: {} }).retention).toEqual({ intervalMs: 60_000, outboxRetentionMs: 604_800_000, batchSize: 500 });
  });

  it('should read them from the environment, 0 switching retention off', () => {
    const config = loadConfig({ env: { AEGISPAY_RETENTION_INTERVAL_MS: '0', AEGISPAY_OUTBOX_RETENTION_MS: '86400000', AEGISPAY_RETENTION_BATCH_SIZE: '100' } });

    expect(config.retention).toEqual({ intervalMs: 0, outboxRetentionMs: 86_400_000, batchSize: 100 });
  });

  it('should refuse values out of range, naming the variable', () => {
    expect(problemsOf(() => loadConfig({ env: { AEGISPAY_RETENTION_BATCH_SIZE: '0', AEGISPAY_OUTBOX_RETENTION_MS: '-5', AEGISPAY_RETENTION_INTERVAL_MS: 'hourly' } }))).toEqual([
      expect.stringMatching(/^AEGISPAY_RETENTION_INTERVAL_MS: must be an integer between 0 and 86400000/),
      expect.stringMatching(/^AEGISPAY_OUTBOX_RETENTION_MS: must be at least 0/),
      expect.stringMatching(/^AEGISPAY_RETENTION_BATCH_SIZE: must be at least 1/),
    ]);
  });
});
