/**
 * Shared measuring helpers for the benchmarks: tinybench with warm-up, medians, and a plain
 * table printer. Medians, not means: one GC pause must not move a figure.
 */

/** One measured task: median latency per operation in nanoseconds, and operations per second. */
export interface Measurement {
  readonly name: string;
  readonly medianNs: number;
  readonly meanNs: number;
  readonly opsPerSecond: number;
  readonly samples: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Measuring time per task in ms. Defaults to 1 000. */
  readonly time?: number;
  /** Warm-up time per task in ms. Defaults to 250. */
  readonly warmupTime?: number;
  /** Minimum iterations per task. Defaults to 64. */
  readonly iterations?: number;
}

/** Runs each task under tinybench (warm-up first, tasks interleaved in one run) and returns their medians. */
export async function measure(
  tasks: Readonly<Record<string, () => unknown>>,
  options: MeasureOptions = {},
): Promise<Record<string, Measurement>> {
  // tinybench is ESM-only; a dynamic import loads it from this CommonJS module.
  const { Bench } = await import('tinybench');
  const bench = new Bench({
    time: options.time ?? 1_000,
    warmupTime: options.warmupTime ?? 250,
    iterations: options.iterations ?? 64,
  });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const out: Record<string, Measurement> = {};
  for (const task of bench.tasks) {
    const result = task.result;
    if (result === undefined || !('latency' in result)) throw new Error(`benchmark task ${task.name} produced no result`);
    const latency = result.latency as { p50?: number; mean: number; samples?: number[]; samplesCount?: number };
    out[task.name] = {
      name: task.name,
      medianNs: (latency.p50 ?? latency.mean) * 1e6,
      meanNs: latency.mean * 1e6,
      opsPerSecond: 1e3 / (latency.p50 ?? latency.mean),
      samples: latency.samplesCount ?? latency.samples?.length ?? 0,
    };
  }
  return out;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: readonly Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const cell = (value: string | number | undefined): string =>
    typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : (value ?? '');
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: readonly string[]): string => values.map((value, i) => value.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => cell(row[column]))));
}

/** Rounds to `digits` decimals, for the JSON line. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
