import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problemsOf } from './__fixtures__/configuration-problems';
import { loadConfig } from './app-config';

const KEY = 'sk_test_0123456789abcdef';

describe(loadConfig, () => {
  describe('when nothing is set', () => {
    it('should give the embedded SQLite defaults', () => {
      const config = loadConfig({ env: {} });

      expect(config).toMatchObject({
        databaseUrl: 'sqlite:./data/aegispay.sqlite',
        persistence: 'typeorm',
        http: { host: '127.0.0.1', port: 3000, bodyLimitBytes: 16_384 },
        gateways: ['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'],
        zeroLatency: false,
        chaos: null,
        seed: null,
        logLevel: 'info',
      });
      expect(config.apiKeys.size).toBe(0);
    });
  });

  describe('when environment variables are set', () => {
    it('should parse and use them', () => {
      const config = loadConfig({
        env: {
          AEGISPAY_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
          AEGISPAY_PORT: '8080',
          AEGISPAY_API_KEYS: `${KEY}=merchant_1, sk_test_fedcba9876543210=merchant_2`,
          AEGISPAY_GATEWAYS: 'stripe,adyen',
          AEGISPAY_ZERO_LATENCY: 'true',
          AEGISPAY_CHAOS: '{"failureRate":0.3,"seed":42}',
          AEGISPAY_SEED: '42',
        },
      });

      expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
      expect(config.http.port).toBe(8080);
      expect([...config.apiKeys]).toEqual([
        [KEY, 'merchant_1'],
        ['sk_test_fedcba9876543210', 'merchant_2'],
      ]);
      expect(config.gateways).toEqual(['STRIPE', 'ADYEN']);
      expect(config.zeroLatency).toBe(true);
      expect(config.chaos).toEqual({ failureRate: 0.3, seed: 42 });
      expect(config.seed).toBe(42);
    });
  });

  describe('when events go to NATS JetStream', () => {
    it('should publish to the in-process event log unless AEGISPAY_NATS_URL is set', () => {
      expect(loadConfig({ env: {} }).nats).toBeNull();
      expect(loadConfig({ env: { AEGISPAY_NATS_URL: '' } }).nats).toBeNull();
    });

    it('should read the servers, the stream and the subject prefix from the environment', () => {
      const config = loadConfig({
        env: {
          AEGISPAY_NATS_URL: 'nats://nats-1:4222, nats://nats-2:4222',
          AEGISPAY_NATS_STREAM: 'PAYMENTS_EU',
          AEGISPAY_NATS_SUBJECT_PREFIX: 'eu.payments',
          AEGISPAY_NATS_STREAM_REPLICAS: '3',
        },
      });

      expect(config.nats).toEqual({ servers: ['nats://nats-1:4222', 'nats://nats-2:4222'], stream: 'PAYMENTS_EU', subjectPrefix: 'eu.payments', streamReplicas: 3 });
    });

    it('should take a list of servers in the file, with the default stream and prefix', () => {
      const directory = mkdtempSync(join(tmpdir(), 'aegispay-config-'));
      try {
        const file = join(directory, 'aegispay.json');
        writeFileSync(file, JSON.stringify({ natsUrl: ['nats://127.0.0.1:4222'] }));

        expect(loadConfig({ env: {}, file }).nats).toEqual({ servers: ['nats://127.0.0.1:4222'], stream: 'AEGISPAY_EVENTS', subjectPrefix: 'aegispay.events', streamReplicas: 1 });
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('should refuse malformed settings, naming each variable', () => {
      const problems = problemsOf(() =>
        loadConfig({
          env: { AEGISPAY_NATS_URL: 'http://nats:4222', AEGISPAY_NATS_STREAM: 'AEGISPAY.EVENTS', AEGISPAY_NATS_SUBJECT_PREFIX: 'events.>', AEGISPAY_NATS_STREAM_REPLICAS: '7' },
        }),
      );

      expect(problems).toEqual([
        expect.stringMatching(/^AEGISPAY_NATS_URL: each server must be nats:\/\/host:port/),
        expect.stringMatching(/^AEGISPAY_NATS_STREAM: must be 1–255 letters, digits/),
        expect.stringMatching(/^AEGISPAY_NATS_SUBJECT_PREFIX: must be dot-separated tokens/),
        expect.stringMatching(/^AEGISPAY_NATS_STREAM_REPLICAS: must be at most 5/),
      ]);
    });
  });

  describe('when values are invalid', () => {
    it('should report every problem at once, naming its source, without echoing API keys', () => {
      const problems = problemsOf(() =>
        loadConfig({
          env: {
            AEGISPAY_DATABASE_URL: 'mysql://localhost/db',
            AEGISPAY_PORT: 'eighty',
            AEGISPAY_API_KEYS: 'short=merchant_1',
            AEGISPAY_GATEWAYS: 'STRIPE,WORLDPAY',
            AEGISPAY_CHAOS: '{not json',
            AEGISPAY_LOG_LEVEL: 'loud',
          },
        }),
      );

      expect(problems).toEqual([
        expect.stringMatching(/^AEGISPAY_DATABASE_URL: must be sqlite:<file> or postgres:/),
        expect.stringMatching(/^AEGISPAY_PORT: must be an integer between 0 and 65535/),
        expect.stringMatching(/^AEGISPAY_API_KEYS: entry 1: an API key must be at least 16 printable characters/),
        expect.stringMatching(/^AEGISPAY_GATEWAYS: each gateway must be one of STRIPE, PAYPAL, SQUARE, ADYEN/),
        expect.stringMatching(/^AEGISPAY_CHAOS: must be a JSON object/),
        expect.stringMatching(/^AEGISPAY_LOG_LEVEL: must be one of/),
      ]);
      expect(problems.join('\n')).not.toContain('short');
    });
  });

  describe('when a number is empty, blank, a boolean or not decimal', () => {
    it.each([
      ['AEGISPAY_PORT', ''],
      ['AEGISPAY_PORT', ' '],
      ['AEGISPAY_PORT', '0x50'],
      ['AEGISPAY_PORT', '1e3'],
      ['AEGISPAY_SEED', ''],
      ['AEGISPAY_SEED', 'true'],
      ['AEGISPAY_RECOVERY_INTERVAL_MS', '1000.5'],
    ])('should refuse %s=%j instead of reading it as a number', (variable, value) => {
      expect(problemsOf(() => loadConfig({ env: { [variable]: value } }))).toEqual([expect.stringMatching(new RegExp(`^${variable}: must be an integer between `))]);
    });

    it.each([[{ port: null }], [{ port: true }], [{ port: [8080] }], [{ seed: false }]])('should refuse %j in the file', (settings) => {
      const file = join(tmpdir(), `aegispay-config-numbers-${process.pid}.json`);
      writeFileSync(file, JSON.stringify(settings));
      try {
        expect(problemsOf(() => loadConfig({ env: {}, file }))).toEqual([expect.stringMatching(/must be an integer between /)]);
      } finally {
        rmSync(file, { force: true });
      }
    });

    it('should accept decimal digits around spaces, and numbers from a file', () => {
      expect(loadConfig({ env: { AEGISPAY_PORT: ' 8080 ', AEGISPAY_SEED: '0' } })).toMatchObject({ http: { port: 8080 }, seed: 0 });
      expect(loadConfig({ env: {}, overrides: { port: 4000, seed: null } })).toMatchObject({ http: { port: 4000 }, seed: null });
    });
  });

  describe('when gateways are given as a list', () => {
    it('should read their names case-insensitively, as in AEGISPAY_GATEWAYS', () => {
      expect(loadConfig({ env: {}, overrides: { gateways: ['stripe', ' Adyen'] } }).gateways).toEqual(['STRIPE', 'ADYEN']);
    });
  });

  describe('when AEGISPAY_CHAOS is set', () => {
    it('should check it at load time, naming the bad field, and refuse unknown fields', () => {
      expect(problemsOf(() => loadConfig({ env: { AEGISPAY_CHAOS: '{"failureRate":5}' } }))).toEqual([
        expect.stringMatching(/^AEGISPAY_CHAOS: failureRate: must be a finite number between 0 and 1 \(got 5\)\./),
      ]);
      expect(problemsOf(() => loadConfig({ env: {}, overrides: { chaos: { failurerate: 0.5 } } }))).toEqual([
        expect.stringMatching(/^option chaos: unknown field "failurerate" \(known: enabled, failureRate, /),
      ]);
    });
  });

  describe('when the database URL is invalid', () => {
    it('should not echo its password', () => {
      const problems = problemsOf(() => loadConfig({ env: { AEGISPAY_DATABASE_URL: 'mysql://app:s3cr3t-pw@db.internal/payments' } }));

      expect(problems).toEqual([expect.stringContaining('(got "mysql://app:****@db.internal/payments")')]);
      expect(problems.join('\n')).not.toContain('s3cr3t');
    });
  });

  describe('when an API key contains "="', () => {
    it('should split the pair at its last "=" (merchant ids have none)', () => {
      const config = loadConfig({ env: { AEGISPAY_API_KEYS: 'c2tfbGl2ZV9rZXlfMDAwMQ===merchant_1' } });

      expect([...config.apiKeys]).toEqual([['c2tfbGl2ZV9rZXlfMDAwMQ==', 'merchant_1']]);
    });
  });

  describe('with a config file', () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'aegispay-config-'));
    });
    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('should read it, with environment variables taking precedence', () => {
      const file = join(directory, 'aegispay.json');
      writeFileSync(file, JSON.stringify({ port: 4000, logLevel: 'debug', apiKeys: { [KEY]: 'merchant_9' } }));

      const config = loadConfig({ env: { AEGISPAY_CONFIG_FILE: file, AEGISPAY_LOG_LEVEL: 'warn' } });

      expect(config.http.port).toBe(4000);
      expect(config.logLevel).toBe('warn');
      expect(config.apiKeys.get(KEY)).toBe('merchant_9');
    });

    it('should refuse unknown settings, bad JSON and missing files', () => {
      const file = join(directory, 'aegispay.json');
      writeFileSync(file, JSON.stringify({ prot: 4000 }));
      writeFileSync(join(directory, 'bad.json'), '{');

      expect(problemsOf(() => loadConfig({ env: {}, file }))).toEqual([expect.stringMatching(/unknown setting "prot"/)]);
      expect(problemsOf(() => loadConfig({ env: {}, file: join(directory, 'bad.json') }))).toEqual([expect.stringMatching(/is not valid JSON/)]);
      expect(problemsOf(() => loadConfig({ env: {}, file: join(directory, 'missing.json') }))).toEqual([expect.stringMatching(/cannot be read \(ENOENT\)/)]);
    });
  });
});
