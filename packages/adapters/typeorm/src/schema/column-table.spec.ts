import type { PaymentSnapshot } from '@aegispay/domain';
import { aPaidPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import { integer, nullable, text, varchar } from './column';
import { ColumnTable, columnsOf, type AnyColumn } from './column-table';
import { OUTBOX_MESSAGES, PAYMENT_ATTEMPTS, PAYMENT_REFUNDS, PAYMENTS, type PaymentRecord } from './tables';

/** A paid payment with a declined attempt before the approved one and two refunds, every nullable field used both ways. */
function aRichSnapshot(): PaymentSnapshot {
  const payment = aPaidPayment({ idempotencyKey: 'order-1', metadata: { country: 'DE', vip: true, score: 7 } }, testPaymentDependencies());
  payment.refund({ amount: 500, gatewayReference: 're_1', reason: 'damaged', idempotencyKey: 'refund-1' });
  payment.refund({ amount: 250 });
  const snapshot = payment.toSnapshot();
  const declined = { ...snapshot.attempts[0], attemptNumber: 2, outcome: 'DECLINED', gatewayReference: null, declineCode: 'insufficient_funds', declineType: 'SOFT', errorCode: null, latencyMs: 12.5 };
  return { ...snapshot, attempts: [...snapshot.attempts, declined as PaymentSnapshot['attempts'][number]] };
}

/** The row the database would return for what `table` inserts from `value`, bigints as PostgreSQL returns them (strings). */
function storedRow<T, C>(table: ColumnTable<T, C, readonly AnyColumn<T, C>[]>, value: T, context: C): Record<string, unknown> {
  const parameters = table.parameters(value, context);
  return Object.fromEntries(table.inserted.map((column, index) => [column.name, column.type === 'bigint' && parameters[index] !== null ? String(parameters[index]) : parameters[index]]));
}

describe(ColumnTable, () => {
  describe('.read', () => {
    describe('when a payment row is written from a snapshot and read back', () => {
      it('should give back every field of the payment except its children, exactly', () => {
        const { attempts: _attempts, refunds: _refunds, ...record } = aRichSnapshot();

        const read = PAYMENTS.read(storedRow(PAYMENTS, record, undefined));

        expect(read).toEqual(record);
        expect(Object.keys(read).sort()).toEqual(Object.keys(record).sort());
      });

      it('should keep the nulls of a payment that has no customer, description, key, gateway or failure', () => {
        const record: PaymentRecord = { ...aRichSnapshot(), customerId: null, description: null, idempotencyKey: null, gateway: null, gatewayReference: null, failureCode: null, failureReason: null };

        expect(PAYMENTS.read(storedRow(PAYMENTS, record, undefined))).toEqual(expect.objectContaining({ customerId: null, gateway: null, failureReason: null }));
      });
    });

    describe('when an outbox row is read back', () => {
      it('should give back the event that was written', () => {
        const event = { id: 'evt_1', type: 'PaymentCreated', aggregateType: 'Payment', aggregateId: 'pay_1', occurredAt: '2026-01-01T00:00:00.123Z', payload: { amount: 1, nested: { a: [1, 'x'] } } };

        expect(OUTBOX_MESSAGES.read(storedRow(OUTBOX_MESSAGES, event, { now: 5 }))).toEqual(event);
      });
    });
  });

  describe('.readTuple', () => {
    describe('when attempts and refunds come back as JSON tuples of their readable columns', () => {
      it('should give back each attempt and refund exactly', () => {
        const snapshot = aRichSnapshot();
        const tuple = <T, C>(table: ColumnTable<T, C, readonly AnyColumn<T, C>[]>, value: T, context: C): unknown[] => {
          const row = storedRow(table, value, context);
          return JSON.parse(JSON.stringify(table.readable.map((column) => row[column.name]))) as unknown[];
        };

        const attempts = snapshot.attempts.map((attempt) => PAYMENT_ATTEMPTS.readTuple(tuple(PAYMENT_ATTEMPTS, attempt, { paymentId: snapshot.id })));
        const refunds = snapshot.refunds.map((refund, position) => PAYMENT_REFUNDS.readTuple(tuple(PAYMENT_REFUNDS, refund, { paymentId: snapshot.id, position })));

        expect(attempts).toEqual(snapshot.attempts);
        expect(refunds).toEqual(snapshot.refunds);
      });
    });
  });

  describe('.parameters', () => {
    describe('when a child row is written', () => {
      it('should take the parent key and position from the context, in the order of the inserted columns', () => {
        const [refund] = aRichSnapshot().refunds;

        const parameters = PAYMENT_REFUNDS.parameters(refund as PaymentSnapshot['refunds'][number], { paymentId: 'pay_9', position: 3 });

        expect(PAYMENT_REFUNDS.inserted.map((column) => column.name)).toEqual(['id', 'payment_id', 'position', 'amount', 'idempotency_key', 'gateway_reference', 'reason', 'created_at']);
        expect(parameters.slice(1, 3)).toEqual(['pay_9', 3]);
      });
    });
  });

  describe('when a table is declared without a primary key, or with two version columns', () => {
    it('should refuse it at once', () => {
      const c = columnsOf<{ a: string; v: number; w: number }>();

      expect(() => c.table({ name: 't', entity: 'T', primaryKeyConstraint: 'pk_t', columns: [c.field('a', 'a', text)] })).toThrow(RangeError);
      expect(() =>
        c.table({
          name: 't',
          entity: 'T',
          primaryKeyConstraint: 'pk_t',
          columns: [c.field('a', 'a', varchar(5), { primary: true }), c.field('v', 'v', integer, { version: true }), c.field('w', 'w', integer, { version: true })],
        }),
      ).toThrow(RangeError);
    });
  });

  describe('when a column is nullable', () => {
    it('should say so and store null as NULL', () => {
      const c = columnsOf<{ a: string; b: string | null }>();
      const table = c.table({ name: 't', entity: 'T', primaryKeyConstraint: 'pk_t', columns: [c.field('a', 'a', varchar(5), { primary: true }), c.field('b', 'b', nullable(text))] });

      expect(table.columns.map((column) => column.nullable)).toEqual([false, true]);
      expect(table.parameters({ a: 'x', b: null }, undefined)).toEqual(['x', null]);
    });
  });
});
