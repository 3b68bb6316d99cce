import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@aegispay/domain/testing';
import { AEGISPAY_MIGRATIONS } from '@aegispay/typeorm';
import { announcePostgresSkip, createTestDatabase, postgresTestUrl } from '@aegispay/typeorm/testing';
import { ConfigurationError, loadConfig } from '../config/app-config';
import { chaosOf, runDemo, type DemoOutcome } from './demo';
import { formatDemoReport } from './demo-text-report';
import { DEFAULT_DEMO_CHAOS } from './demo-scenario';

const START = Date.UTC(2026, 2, 1, 9, 0, 0);

describe(runDemo, () => {
  let directory: string;
  let outcome: DemoOutcome;
  let text: string;
  let html: string;

  // One shortened demo on a fresh SQLite file, checked from every side below. 400 payments at 4
  // a second is 100 s of virtual time: long enough for the outage's breaker to open, half-open
  // after its 60 s and close again.
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-demo-'));
    const config = loadConfig({ env: {}, overrides: { databaseUrl: `sqlite:${join(directory, 'demo.sqlite')}` } });
    outcome = await runDemo({ config, payments: 400, concurrency: 16, seed: 42, ratePerSecond: 4, reportDir: join(directory, 'reports'), startAt: START, random: new SeededRandom(1) });
    text = formatDemoReport(outcome.report, outcome.htmlPath);
    html = readFileSync(outcome.htmlPath, 'utf8');
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  describe('when the shortened demo runs on SQLite', () => {
    it('should hold every invariant, in the run and in the replay', () => {
      expect(outcome.passed).toBe(true);
      expect(outcome.report.invariants.map((check) => [check.name, check.passed])).toEqual([
        ['every payment stored', true],
        ['no double charge across ledgers', true],
        ['nothing left in PROCESSING', true],
        ['stored statuses agree with the ledgers', true],
        ['outbox complete', true],
      ]);
      expect(outcome.report.baselineInvariants.every((check) => check.passed)).toBe(true);
      expect(outcome.report.migrationsApplied).toEqual(AEGISPAY_MIGRATIONS.map((Migration) => new Migration().name));
    });

    it('should take the routing favourite down and bring it back, and inject chaos, at the scripted payments', () => {
      const { timeline, baseline } = outcome.report;

      expect(timeline.map((event) => [event.kind, event.index])).toEqual([
        ['OUTAGE_START', 80],
        ['OUTAGE_END', 180],
        ['CHAOS_START', 260],
        ['CHAOS_END', 340],
      ]);
      expect(timeline[0]?.text).toBe(`${baseline.gateway} taken down: every call answered 503`);
      expect(outcome.report.chaos?.injections.total).toBeGreaterThan(0);
    });

    it("should record the outage gateway's breaker opening, probing and closing, in time order", () => {
      const outage = outcome.report.baseline.gateway;
      const changes = outcome.report.transitions.filter((transition) => transition.gateway === outage).map((transition) => `${transition.from}→${transition.to}`);
      const times = outcome.report.transitions.map((transition) => transition.atMs);

      expect(changes.slice(0, 3)).toEqual(['CLOSED→OPEN', 'OPEN→HALF_OPEN', 'HALF_OPEN→CLOSED']);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThanOrEqual(outcome.report.virtualMs);
    });

    it('should beat the single gateway on the same traffic, and account for every payment in both', () => {
      const { main, baseline, phases } = outcome.report;

      expect(main.total).toBe(400);
      expect(baseline.total).toBe(400);
      expect(main.paid + main.declined + main.failed).toBe(400);
      expect(main.successRate).toBeGreaterThan(baseline.successRate + 0.1);
      const down = phases.find((phase) => phase.phase.includes('down'));
      expect(down?.baselinePaid).toBe(0);
      expect(down?.paid).toBeGreaterThan((down?.payments ?? 0) * 0.8);
    });

    it('should fill the per-gateway table from the attempts and the ledgers', () => {
      const rows = outcome.report.gateways;

      expect(rows.map((row) => row.gateway)).toEqual(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN']);
      expect(rows.reduce((sum, row) => sum + row.captured, 0)).toBe(outcome.report.main.paid);
      for (const row of rows.filter((candidate) => candidate.calls > 0)) {
        expect(row.approved + row.declined + row.errors).toBe(row.calls);
        expect(row.p95Ms).toBeGreaterThan(0);
        expect(row.breaker).toMatch(/^(CLOSED|OPEN|HALF_OPEN)$/);
      }
      expect(rows.some((row) => row.fees.length > 0 && (row.averageFeeRate ?? 0) > 0.01)).toBe(true);
    });

    it('should cut the run into time slices that count every payment and the routing share of each', () => {
      const slices = outcome.report.slices;

      expect(slices).toHaveLength(8);
      expect(slices.reduce((sum, slice) => sum + slice.payments, 0)).toBe(400);
      expect(slices.reduce((sum, slice) => sum + slice.baselinePayments, 0)).toBe(400);
      for (const slice of slices) expect(Object.values(slice.firstChoice).reduce((sum, n) => sum + n, slice.unrouted)).toBe(slice.payments);
    });

    it('should print every section of the report', () => {
      for (const heading of [
        'AegisPay demo: 400 payments, seed 42',
        'Scenario (virtual time, payment number)',
        'Gateways\n',
        'Circuit breaker transitions',
        'Routing share over time',
        'Success against a single gateway on the same traffic',
        'Invariants: all hold',
        `HTML report: ${outcome.htmlPath}`,
      ]) {
        expect(text).toContain(heading);
      }
    });

    it('should write a self-contained HTML report with its three charts', () => {
      expect(existsSync(outcome.htmlPath)).toBe(true);
      expect(outcome.htmlPath).toBe(join(directory, 'reports', 'aegispay-demo-20260301-090000-seed42.html'));
      expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
      for (const title of ['Payments captured, per slice of arrival time', 'Share of payments routed to each gateway first', 'Share of calls by latency']) {
        expect(html).toContain(`aria-label="${title}"`);
      }
      expect(html).toMatch(/<path d="M[\d.]+,[\d.]+ L/);
      expect(html).toContain('<rect');
    });

    it('should load nothing from anywhere: no URL, script, stylesheet link or import', () => {
      expect(html).not.toMatch(/https?:/i);
      expect(html).not.toMatch(/\bsrc\s*=/i);
      expect(html).not.toMatch(/<link\b|<script\b|@import|url\(/i);
      expect(html).not.toContain('//');
    });
  });

  describe('when the report directory cannot be created', () => {
    it('should fail before sending any payment', async () => {
      const file = join(directory, 'not-a-directory');
      writeFileSync(file, '');
      const stages: string[] = [];

      const running = runDemo({
        config: loadConfig({ env: {}, overrides: { persistence: 'memory' } }),
        payments: 10,
        concurrency: 1,
        seed: 1,
        ratePerSecond: 10,
        reportDir: join(file, 'reports'),
        onStage: (stage) => stages.push(stage),
      });

      await expect(running).rejects.toThrow(/ENOTDIR|EEXIST/);
      expect(stages).toEqual([]);
    });
  });

  describe('when the same seed runs on PostgreSQL', () => {
    const pgUrl = postgresTestUrl();
    if (pgUrl === undefined) announcePostgresSkip('runDemo');
    (pgUrl === undefined ? it.skip : it)('should replay the SQLite run exactly: queries on the wire take no virtual time', async () => {
      const database = await createTestDatabase('postgres');
      try {
        const { url, schema } = database.connection;
        const databaseUrl = `${url as string}${(url as string).includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema as string}`)}`;
        const onPostgres = await runDemo({
          config: loadConfig({ env: {}, overrides: { databaseUrl } }),
          payments: 400,
          concurrency: 16,
          seed: 42,
          ratePerSecond: 4,
          reportDir: join(directory, 'postgres'),
          startAt: START,
        });

        expect(onPostgres.passed).toBe(true);
        expect(onPostgres.report.virtualMs).toBe(outcome.report.virtualMs);
        expect(onPostgres.report.main).toEqual(outcome.report.main);
        expect(onPostgres.report.transitions).toEqual(outcome.report.transitions);
        expect(onPostgres.report.slices).toEqual(outcome.report.slices);
      } finally {
        await database.dispose();
      }
    });
  });

  describe('when the same seed runs again on the same kind of database', () => {
    it('should replay the same run', async () => {
      const again = await runDemo({
        config: loadConfig({ env: {}, overrides: { databaseUrl: `sqlite:${join(directory, 'again.sqlite')}` } }),
        payments: 400,
        concurrency: 16,
        seed: 42,
        ratePerSecond: 4,
        reportDir: join(directory, 'again'),
        startAt: START,
      });

      expect(again.report.main).toEqual(outcome.report.main);
      expect(again.report.transitions).toEqual(outcome.report.transitions);
      expect(again.report.slices).toEqual(outcome.report.slices);
    });
  });
});

describe(chaosOf, () => {
  describe('when no chaos is configured', () => {
    it("should use the demo's", () => {
      expect(chaosOf(loadConfig({ env: {} }))).toBe(DEFAULT_DEMO_CHAOS);
    });
  });

  describe('when AEGISPAY_CHAOS is set', () => {
    it('should use it', () => {
      expect(chaosOf(loadConfig({ env: { AEGISPAY_CHAOS: '{"failureRate":0.4}' } }))).toEqual({ failureRate: 0.4 });
    });

    it('should refuse, as a configuration error, chaos in a configuration built without loadConfig', () => {
      const config = { ...loadConfig({ env: {} }), chaos: { failureRate: 4 } };

      expect(() => chaosOf(config)).toThrow(ConfigurationError);
      expect(() => chaosOf(config)).toThrow(/AEGISPAY_CHAOS: failureRate: must be a finite number between 0 and 1 \(got 4\)/);
    });
  });
});
