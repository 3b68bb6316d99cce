/**
 * `npm run bench -- listing [large count, default 1000000] [rounds, default 5]`: what a page of
 * `GET /v1/payments` costs (`TypeOrmPaymentRepository.findPage`: the statement, the rows, the
 * payments rehydrated) in a table of a thousand payments and in one of a million, on SQLite and on
 * PostgreSQL (when it answers: `BENCH_PG_URL`, else `AEGISPAY_TEST_PG_URL`, else the local test
 * database). The tables are filled with `seedPayments` (`INSERT … SELECT` over a generated series,
 * not through the domain) and analysed.
 *
 * Pages of 10: the newest of merchant_a, one from a cursor half-way down, the first of a rare
 * status (1 in 100), of one customer (1 in 50) and of one gateway (1 in 50), full in both tables. Each round measures
 * every page on the small table and on the large one, interleaved; the figure of a page is the
 * median of its rounds' medians, and its ratio large / small. With the listing indexes the ratio
 * stays near 1 (a B-tree one or two levels deeper); without them it grows with the table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentPageQuery } from '@aegispay/domain';
import { createDataSource, migrate, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { seedPayments, SEEDED_PAYMENTS } from '@aegispay/typeorm/testing';
import { measure, printTable, round } from '../harness';
import { BenchDatabases, benchPostgresUrl, postgresUnreachable } from '../http/http-databases';

type DataSource = Awaited<ReturnType<typeof createDataSource>>;

const SMALL = 1_000;
const EPOCH = Date.UTC(2026, 0, 1);
/**
 * Rows per page, and customers in the tables: small enough that every page is full in the small
 * table too (10 failed payments, 10 by ADYEN, 20 of `cus_7` among its thousand), so both tables
 * answer the same rows and only the cost of finding them differs.
 */
const LIMIT = 10;
const CUSTOMERS = 50;

/** The pages measured, for a table of `count` payments. */
function pages(count: number): Record<string, PaymentPageQuery> {
  const middle = Math.floor(count / 2);
  return {
    'first page': { merchantId: 'merchant_a', limit: LIMIT },
    'page half-way down': {
      merchantId: 'merchant_a',
      limit: LIMIT,
      after: { createdAt: EPOCH + Math.floor(middle / SEEDED_PAYMENTS.perSecond) * 1_000, id: `pay_seed_${String(middle).padStart(9, '0')}` },
    },
    'rare status': { merchantId: 'merchant_a', limit: LIMIT, filter: { status: 'FAILED' } },
    'one customer': { merchantId: 'merchant_a', limit: LIMIT, filter: { customerId: 'cus_7' } },
    'one gateway': { merchantId: 'merchant_a', limit: LIMIT, filter: { gateway: 'ADYEN' } },
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function seeded(dataSource: DataSource, count: number): Promise<DataSource> {
  await migrate(dataSource);
  const started = performance.now();
  // Batches keep one statement's transaction (and PostgreSQL's memory for it) bounded.
  for (let first = 1; first <= count; first += 200_000) await seedPayments(dataSource, { count: Math.min(200_000, count - first + 1), first, epoch: EPOCH, customers: CUSTOMERS });
  console.error(`seeded ${count} payments in ${Math.round(performance.now() - started)} ms`);
  return dataSource;
}

/** Per page: median ms on the small and the large table, over interleaved rounds. */
/** Checks that a page is as full in the small table as in the large one (else the ratio would compare different work). */
async function samePageSizes(small: TypeOrmPaymentRepository, large: TypeOrmPaymentRepository, largeCount: number): Promise<void> {
  const largePages = pages(largeCount);
  for (const [name, query] of Object.entries(pages(SMALL))) {
    const [a, b] = [(await small.findPage(query)).payments.length, (await large.findPage(largePages[name] as PaymentPageQuery)).payments.length];
    if (a !== LIMIT || b !== LIMIT) throw new Error(`the page "${name}" holds ${a} payments in the small table and ${b} in the large one, not ${LIMIT} in both`);
  }
}

async function compare(small: DataSource, large: DataSource, largeCount: number, rounds: number): Promise<Record<string, { small: number; large: number; ratio: number }>> {
  const smallRepository = new TypeOrmPaymentRepository(small);
  const largeRepository = new TypeOrmPaymentRepository(large);
  await samePageSizes(smallRepository, largeRepository, largeCount);
  const smallPages = pages(SMALL);
  const largePages = pages(largeCount);
  const samples: Record<string, { small: number[]; large: number[] }> = {};
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    for (const name of Object.keys(smallPages)) {
      const tasks = {
        small: () => smallRepository.findPage(smallPages[name] as PaymentPageQuery),
        large: () => largeRepository.findPage(largePages[name] as PaymentPageQuery),
      };
      const measured = await measure(roundIndex % 2 === 0 ? tasks : { large: tasks.large, small: tasks.small }, { time: 300, warmupTime: 100, iterations: 20 });
      const entry = (samples[name] ??= { small: [], large: [] });
      entry.small.push((measured['small']?.medianNs ?? 0) / 1e6);
      entry.large.push((measured['large']?.medianNs ?? 0) / 1e6);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, { small: s, large: l }]) => {
      const smallMs = median(s);
      const largeMs = median(l);
      return [name, { small: smallMs, large: largeMs, ratio: largeMs / smallMs }];
    }),
  );
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const largeCount = Math.max(10_000, Number(args[0] ?? 1_000_000) || 1_000_000);
  const rounds = Math.max(1, Number(args[1] ?? 5) || 5);
  const directory = mkdtempSync(join(tmpdir(), 'aegispay-bench-listing-'));
  const databases = new BenchDatabases(directory, benchPostgresUrl());
  const figures: Record<string, unknown> = { bench: 'listing', small: SMALL, large: largeCount, rounds };
  const rows: Record<string, string | number>[] = [];
  const record = (database: string, results: Awaited<ReturnType<typeof compare>>): void => {
    const ratios: Record<string, number> = {};
    for (const [name, result] of Object.entries(results)) {
      rows.push({ database, page: name, [`ms at ${SMALL}`]: round(result.small, 3), [`ms at ${largeCount}`]: round(result.large, 3), ratio: round(result.ratio, 2) });
      ratios[name.replace(/[^a-z]+/g, '_')] = round(result.ratio, 2);
    }
    figures[`${database}_ratio`] = ratios;
    figures[`${database}_max_ratio`] = round(Math.max(...Object.values(ratios)), 2);
  };
  const open: DataSource[] = [];
  try {
    const sqlite = async (name: string, count: number): Promise<DataSource> => {
      const dataSource = await createDataSource({ url: `sqlite:${join(directory, `${name}.sqlite`)}` });
      open.push(dataSource);
      return seeded(dataSource, count);
    };
    record('sqlite', await compare(await sqlite('small', SMALL), await sqlite('large', largeCount), largeCount, rounds));
    const unreachable = await postgresUnreachable(benchPostgresUrl());
    if (unreachable === null) {
      const postgres = async (name: string, count: number): Promise<DataSource> => {
        const { url, schema } = (await databases.postgres(`listing_${name}`)) as { url: string; schema: string };
        const dataSource = await createDataSource({ url, schema });
        open.push(dataSource);
        return seeded(dataSource, count);
      };
      record('postgres', await compare(await postgres('small', SMALL), await postgres('large', largeCount), largeCount, rounds));
    } else {
      console.error(`PostgreSQL part skipped: ${unreachable}`);
      figures['postgres'] = `skipped: ${unreachable}`;
    }
  } finally {
    for (const dataSource of open) await dataSource.destroy().catch(() => undefined);
    await databases.drop();
    rmSync(directory, { recursive: true, force: true });
  }
  printTable(`One page of GET /v1/payments (findPage, limit ${LIMIT}): median of ${rounds} interleaved rounds`, rows);
  return figures;
}
