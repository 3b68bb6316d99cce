import { Money } from '@aegispay/domain';
import { InvalidPaymentOutcomeError } from '../errors/routing.errors';
import { OutcomeKind, classifyOutcome, outcomeFromChargeResult } from './gateway-attempt-outcome';

describe('outcomeFromChargeResult', () => {
  const measurements = { latency: 120, amount: 5_000 };

  describe('when the charge was approved with a fee', () => {
    it('should record a success with the fee as cost', () => {
      const outcome = outcomeFromChargeResult({ outcome: 'APPROVED', gatewayReference: 'ch_1', fee: Money.of(175, 'EUR') }, measurements);
      expect(outcome).toEqual({ success: true, latency: 120, amount: 5_000, cost: 175 });
    });
  });

  describe('when the charge was declined', () => {
    it('should record a success (the gateway answered) flagged as a decline of its type', () => {
      const outcome = outcomeFromChargeResult({ outcome: 'DECLINED', declineCode: 'stolen_card', declineType: 'HARD' }, measurements);
      expect(outcome).toEqual({ success: true, declined: true, declineType: 'HARD', errorCode: 'stolen_card', latency: 120, amount: 5_000 });
      expect(classifyOutcome(outcome)).toBe(OutcomeKind.HardDecline);
    });
  });

  describe('when the gateway failed technically', () => {
    it('should record a failure with its error code', () => {
      const outcome = outcomeFromChargeResult({ outcome: 'TECHNICAL_FAILURE', errorCode: 'HTTP_503', retryable: true }, measurements);
      expect(outcome).toEqual({ success: false, errorCode: 'HTTP_503', latency: 120, amount: 5_000 });
    });
  });

  describe('when the outcome is unknown', () => {
    it('should record a failure coded UNKNOWN_OUTCOME', () => {
      const outcome = outcomeFromChargeResult({ outcome: 'UNKNOWN', reason: 'timeout after send' }, { ...measurements, cost: 3 });
      expect(outcome).toEqual({ success: false, errorCode: 'UNKNOWN_OUTCOME', latency: 120, amount: 5_000, cost: 3 });
    });
  });
});

describe('classifyOutcome', () => {
  describe('when a decline is recorded as a failure', () => {
    it('should refuse it and say how to record it', () => {
      expect(() => classifyOutcome({ success: false, declined: true, latency: 10, amount: 100 })).toThrow(/success: true/);
    });
  });

  describe.each([
    ['latency', { success: true, latency: -1, amount: 100 }],
    ['latency', { success: true, latency: Number.NaN, amount: 100 }],
    ['amount', { success: true, latency: 1, amount: 10.5 }],
    ['cost', { success: true, latency: 1, amount: 100, cost: -2 }],
    ['cost', { success: true, latency: 1, amount: 100, cost: 1e300 }],
    ['success', { success: 'yes', latency: 1, amount: 100 }],
    ['declineType', { success: true, latency: 1, amount: 100, declineType: 'SOFT' }],
  ])('when %s is invalid', (field, outcome) => {
    it('should throw InvalidPaymentOutcomeError naming the field', () => {
      let caught: unknown;
      try {
        classifyOutcome(outcome as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidPaymentOutcomeError.is(caught)).toBe(true);
      expect((caught as InvalidPaymentOutcomeError).field).toBe(field);
      expect((caught as InvalidPaymentOutcomeError).code).toBe('METRICS.INVALID_OUTCOME');
    });
  });
});
