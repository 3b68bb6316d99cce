import { VirtualClock, type PaymentSnapshot } from '@aegispay/domain';
import type { LedgerEntry } from '@aegispay/gateways';
import { createAppContainer } from '../composition/app-container';
import { loadConfig } from '../config/app-config';
import { chaosGatewaysModule } from './chaos-gateways.module';
import { PaymentStream } from './traffic/payment-stream';
import { DEFAULT_DEMO_SCENARIO, DEMO_CASCADE } from './demo-scenario';
import { checkRun } from './run-checks';
import { runScenario, type ScenarioRun } from './scenario-run';

describe(checkRun, () => {
  let run: ScenarioRun;

  beforeAll(async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const config = loadConfig({ env: {}, overrides: { persistence: 'memory', seed: 7 } });
    const app = await createAppContainer(config, { clock, modules: [chaosGatewaysModule({ ...DEFAULT_DEMO_SCENARIO.chaosConfig, enabled: false, seed: 7 }, DEMO_CASCADE)] });
    try {
      run = await runScenario({
        app,
        clock,
        stream: new PaymentStream({ seed: 7, keyPrefix: 'checks' }),
        payments: 80,
        concurrency: 8,
        scenario: DEFAULT_DEMO_SCENARIO,
        outageTarget: 'favourite',
      });
    } finally {
      await app.close();
    }
  });

  const failed = (broken: ScenarioRun): string[] => checkRun(broken).filter((check) => !check.passed).map((check) => check.name);
  const firstPaid = (): PaymentSnapshot => run.records.find((record) => record.stored?.status === 'PAID')?.stored as PaymentSnapshot;
  const firstFailed = (): PaymentSnapshot => run.records.find((record) => record.stored?.status === 'FAILED')?.stored as PaymentSnapshot;

  describe('when the run is sound', () => {
    it('should pass all five checks', () => {
      expect(checkRun(run).map((check) => [check.name, check.passed])).toEqual([
        ['every payment stored', true],
        ['no double charge across ledgers', true],
        ['nothing left in PROCESSING', true],
        ['stored statuses agree with the ledgers', true],
        ['outbox complete', true],
      ]);
    });
  });

  describe('when a payment was not stored', () => {
    it('should fail "every payment stored"', () => {
      const broken = { ...run, records: run.records.map((record, index) => (index === 3 ? { ...record, stored: null } : record)) };

      expect(failed(broken)).toEqual(['every payment stored']);
    });
  });

  describe('when a payment was charged twice', () => {
    it('should fail the double-charge and ledger checks', () => {
      const paid = firstPaid();
      const original = run.ledger.find((entry) => entry.paymentId === paid.id && entry.outcome === 'APPROVED') as LedgerEntry;
      const second: LedgerEntry = { ...original, gateway: original.gateway === 'STRIPE' ? 'ADYEN' : 'STRIPE', reference: `${paid.id}:9`, gatewayReference: 'ch_second' };
      const broken = { ...run, ledger: [...run.ledger, second], doubleCharges: [{ paymentId: paid.id, merchantId: paid.merchantId, charges: [original, second] }] };

      expect(failed(broken)).toEqual(['no double charge across ledgers', 'stored statuses agree with the ledgers']);
    });
  });

  describe('when a failed payment was charged after all', () => {
    it('should fail "stored statuses agree with the ledgers"', () => {
      const payment = firstFailed();
      const template = run.ledger.find((entry) => entry.outcome === 'APPROVED') as LedgerEntry;
      const charge: LedgerEntry = { ...template, paymentId: payment.id, reference: `${payment.id}:1`, gatewayReference: 'ch_unseen' };

      const checks = checkRun({ ...run, ledger: [...run.ledger, charge] });

      expect(checks.filter((check) => !check.passed).map((check) => check.detail)).toEqual([expect.stringContaining(`${payment.id}: FAILED, ledgers say`)]);
    });
  });

  describe('when a payment is left in PROCESSING', () => {
    it('should fail "nothing left in PROCESSING" (and the outbox check: its events are not final)', () => {
      const broken = { ...run, records: run.records.map((record, index) => (index === 5 && record.stored !== null ? { ...record, stored: { ...record.stored, status: 'PROCESSING' as const } } : record)) };

      expect(failed(broken)).toEqual(expect.arrayContaining(['nothing left in PROCESSING']));
    });
  });

  describe('when a state change was never published', () => {
    it('should fail "outbox complete"', () => {
      const paid = firstPaid();
      const published = new Map(run.publishedEvents);
      published.set(paid.id, ['PaymentCreated', 'PaymentProcessingStarted']);

      const checks = checkRun({ ...run, publishedEvents: published });

      expect(checks.filter((check) => !check.passed).map((check) => check.name)).toEqual(['outbox complete']);
      expect(checks.at(-1)?.detail).toContain(`${paid.id} PAID: published [PaymentCreated, PaymentProcessingStarted]`);
    });
  });
});
