/**
 * `npm run bench -- <name>`: runs `src/benches/<name>.bench.ts`.
 *
 * Every benchmark prints a readable table and, as the last line of stdout, one JSON object with
 * its figures. Each compares against a baseline measured in the same run: these machines are
 * shared and noisy, so only ratios within one run mean anything.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface BenchModule {
  run(args: readonly string[]): Promise<Record<string, unknown>>;
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const dir = join(__dirname, 'benches');
  const available = readdirSync(dir)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.replace(/\.bench\.ts$/, ''))
    .sort();
  if (name === undefined || name === '--help' || !existsSync(join(dir, `${name}.bench.ts`))) {
    console.error(`usage: npm run bench -- <name> [args]\navailable: ${available.join(', ') || '(none)'}`);
    process.exitCode = name === undefined || name === '--help' ? 0 : 2;
    return;
  }
  const bench = (await import(join(dir, `${name}.bench.ts`))) as BenchModule;
  const figures = await bench.run(args);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
