import type { z } from 'zod';
import { integer } from './config.schema';

/** How the app keeps its tables from only growing (see `RetentionSweeper` of `@aegispay/locking`). */
export interface RetentionConfig {
  /** Wait between sweeps once nothing is left to delete, in ms; 0 switches retention off. */
  readonly intervalMs: number;
  /** How long a published outbox event is kept after its publication, in ms. */
  readonly outboxRetentionMs: number;
  /** Rows deleted per statement, per table. */
  readonly batchSize: number;
}

/** The retention settings, keyed as in a configuration file (merged into the app's one schema). */
export const retentionSettings = {
  retentionIntervalMs: integer(0, 86_400_000),
  outboxRetentionMs: integer(0, 31_536_000_000),
  retentionBatchSize: integer(1, 100_000),
};

/** The environment variable of each retention setting. */
export const RETENTION_SOURCES = {
  retentionIntervalMs: 'AEGISPAY_RETENTION_INTERVAL_MS',
  outboxRetentionMs: 'AEGISPAY_OUTBOX_RETENTION_MS',
  retentionBatchSize: 'AEGISPAY_RETENTION_BATCH_SIZE',
} as const satisfies Record<keyof typeof retentionSettings, string>;

/** Defaults: a sweep every minute, published events kept 7 days, 500 rows per statement. */
export const RETENTION_DEFAULTS: Record<keyof typeof retentionSettings, unknown> = {
  retentionIntervalMs: 60_000,
  outboxRetentionMs: 604_800_000,
  retentionBatchSize: 500,
};

/** The parsed retention settings. */
export type RetentionSettings = { readonly [K in keyof typeof retentionSettings]: z.output<(typeof retentionSettings)[K]> };

/** Shapes the parsed settings as a {@link RetentionConfig}. */
export function retentionConfigOf(settings: RetentionSettings): RetentionConfig {
  return Object.freeze({ intervalMs: settings.retentionIntervalMs, outboxRetentionMs: settings.outboxRetentionMs, batchSize: settings.retentionBatchSize });
}
