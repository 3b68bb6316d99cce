/**
 * Fresh databases for the HTTP benchmarks: SQLite files in a temporary directory, PostgreSQL
 * schemas of their own (created empty, dropped at the end), so every run starts from nothing and
 * runs in parallel with tests and other benches without touching their tables.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import type { BenchDatabase } from './http-servers';

/** The PostgreSQL the benchmarks use: `BENCH_PG_URL`, else `AEGISPAY_TEST_PG_URL`, else the local test database. */
export function benchPostgresUrl(): string {
  return process.env['BENCH_PG_URL'] ?? process.env['AEGISPAY_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** The adapter's default PostgreSQL pool size (`createDataSource`'s `poolSize`), which the app uses: the raw baseline gets the same. */
export const APP_PG_POOL_SIZE = 10;

/** Why PostgreSQL cannot be used, or null when it answers. */
export async function postgresUnreachable(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the fresh databases of one benchmark run; `drop()` removes the PostgreSQL schemas again. */
export class BenchDatabases {
  private readonly schemas: string[] = [];
  private readonly tag = `${process.pid}_${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly directory: string,
    private readonly postgresUrl: string,
  ) {}

  sqlite(name: string): BenchDatabase {
    return { kind: 'sqlite', file: join(this.directory, `${name}.sqlite`) };
  }

  async postgres(name: string): Promise<BenchDatabase> {
    const schema = `bench_${name}_${this.tag}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    await this.query(`CREATE SCHEMA "${schema}"`);
    this.schemas.push(schema);
    return { kind: 'postgres', url: this.postgresUrl, schema };
  }

  /** PostgreSQL's setting `name` as a new connection of the benchmark sees it. */
  async postgresSetting(name: string): Promise<string> {
    const rows = await this.query(`SELECT current_setting('${name}') AS value`);
    return String(rows[0]?.['value'] ?? '');
  }

  async drop(): Promise<void> {
    while (this.schemas.length > 0) {
      const schema = this.schemas.pop() as string;
      await this.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error: unknown) => console.error(`could not drop schema ${schema}: ${String(error)}`));
    }
  }

  private async query(sql: string): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: this.postgresUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return (await client.query<Record<string, unknown>>(sql)).rows;
    } finally {
      await client.end();
    }
  }
}
