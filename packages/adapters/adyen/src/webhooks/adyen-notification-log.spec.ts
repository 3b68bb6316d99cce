import { Money, type GatewayNotification } from '@aegispay/domain';
import { InMemoryAdyenNotificationLog } from './adyen-notification-log';

const refund = (reference: string, occurredAt: number, status: 'REFUNDED' | 'REJECTED'): GatewayNotification => ({
  gateway: 'ADYEN',
  type: 'REFUND',
  eventId: `${reference}:${occurredAt}`,
  reference,
  occurredAt,
  status: status === 'REFUNDED' ? { status, gatewayReference: 'R1', amount: Money.of(100, 'EUR') } : { status, code: 'refund_failed' },
});

describe(InMemoryAdyenNotificationLog, () => {
  describe('.record', () => {
    describe('when a later notification of a reference arrives', () => {
      it('should replace the earlier one (REFUND, then REFUND_FAILED)', () => {
        const log = new InMemoryAdyenNotificationLog();
        log.record(refund('r1', 1_000, 'REFUNDED'));
        log.record(refund('r1', 2_000, 'REJECTED'));

        expect(log.refund('r1')?.status.status).toBe('REJECTED');
        expect(log.charge('r1')).toBeUndefined();
      });
    });

    describe('when an older notification arrives late', () => {
      it('should change nothing', () => {
        const log = new InMemoryAdyenNotificationLog();
        log.record(refund('r1', 2_000, 'REJECTED'));
        log.record(refund('r1', 1_000, 'REFUNDED'));

        expect(log.refund('r1')?.status.status).toBe('REJECTED');
      });
    });

    describe('when more references than maxEntries are recorded', () => {
      it('should forget the oldest first', () => {
        const log = new InMemoryAdyenNotificationLog(2);
        for (const reference of ['a', 'b', 'c']) log.record(refund(reference, 1, 'REFUNDED'));

        expect([log.refund('a'), log.refund('b'), log.refund('c')].map((entry) => entry?.reference)).toEqual([undefined, 'b', 'c']);
      });
    });
  });
});
