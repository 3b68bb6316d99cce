import type { PaymentSnapshot } from '@aegispay/domain';
import { aPaidPayment, aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import type { GatewayCharge } from './gateway-charges';
import { compareWithLedgers } from './ledger-comparison';

function charge(paymentId: string, overrides: Partial<GatewayCharge> = {}): GatewayCharge {
  return { gateway: 'STRIPE', paymentId, reference: `${paymentId}:1`, gatewayReference: 'ch_1', state: 'CAPTURED', amount: 15_000, refunded: 0, currency: 'EUR', ...overrides };
}

/** One id sequence for every payment of the file, so that no two share an id. */
const deps = testPaymentDependencies();

function paid(): PaymentSnapshot {
  return aPaidPayment({}, deps).toSnapshot();
}

function failed(): PaymentSnapshot {
  const payment = aPendingPayment({}, deps);
  payment.startProcessing();
  payment.markFailed({ code: 'INTERRUPTED', reason: 'interrupted' });
  return payment.toSnapshot();
}

function processing(): PaymentSnapshot {
  const payment = aPendingPayment({}, deps);
  payment.startProcessing();
  return payment.toSnapshot();
}

describe(compareWithLedgers, () => {
  describe('when every stored outcome agrees with the ledgers', () => {
    it('should find nothing wrong', () => {
      const payment = paid();
      const declined = failed();

      const comparison = compareWithLedgers([payment, declined], [charge(payment.id), charge(declined.id, { state: 'DECLINED', gatewayReference: 'ch_2' })]);

      expect(comparison).toEqual({ doubleCharges: [], capturedButFailed: [], paidWithoutCharge: [], strayCharges: [], unfinished: [], undecidedCharges: [], captured: 1, payments: 2 });
    });
  });

  describe('when a payment holds money at two charges', () => {
    it('should report a double charge, and no longer once one of them is refunded in full', () => {
      const payment = paid();
      const second = charge(payment.id, { gateway: 'ADYEN', reference: `${payment.id}:2`, gatewayReference: 'psp_2' });

      expect(compareWithLedgers([payment], [charge(payment.id), second]).doubleCharges).toEqual([`${payment.id}: STRIPE ch_1 (${payment.id}:1) + ADYEN psp_2 (${payment.id}:2)`]);
      expect(compareWithLedgers([payment], [charge(payment.id), { ...second, refunded: second.amount }]).doubleCharges).toEqual([]);
    });
  });

  describe('when a payment captured at a gateway is stored as failed', () => {
    it('should report it', () => {
      const payment = failed();

      expect(compareWithLedgers([payment], [charge(payment.id)]).capturedButFailed).toEqual([`${payment.id}: FAILED, but STRIPE ch_1 (${payment.id}:1)`]);
    });
  });

  describe('when a paid payment has no charge, or another one', () => {
    it('should report it, and a captured charge of no known payment as stray', () => {
      const payment = paid();

      const comparison = compareWithLedgers([payment], [charge(payment.id, { gatewayReference: 'ch_other' }), charge('pay_unknown')]);

      expect(comparison.paidWithoutCharge).toEqual([expect.stringContaining(`${payment.id}: PAID via STRIPE ch_1, ledgers say STRIPE ch_other`)]);
      expect(comparison.strayCharges).toEqual(['pay_unknown: STRIPE ch_1 (pay_unknown:1)']);
    });
  });

  describe('when a payment is unfinished or a charge undecided', () => {
    it('should list both', () => {
      const payment = processing();

      const comparison = compareWithLedgers([payment], [charge(payment.id, { state: 'PENDING' })]);

      expect(comparison.unfinished).toEqual([`${payment.id}: PROCESSING, ledgers say no charge captured`]);
      expect(comparison.undecidedCharges).toEqual([`${payment.id}: PENDING STRIPE ch_1 (${payment.id}:1)`]);
    });
  });
});
