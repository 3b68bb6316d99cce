import { aPaidPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import { integer, varchar } from '../schema/column';
import { columnsOf } from '../schema/column-table';
import { PAYMENTS } from '../schema/tables';
import { compareAndSwapStatement, insertStatement } from './table-sql';

describe(compareAndSwapStatement, () => {
  const statement = compareAndSwapStatement(PAYMENTS, '"payments"');

  describe('when derived for payments', () => {
    it('should set every column but the key, increment the version, and require the key and the expected version', () => {
      expect(statement.sql).toBe(
        'UPDATE "payments" SET merchant_id = ?, amount = ?, currency = ?, payment_method_type = ?, payment_method_token = ?, customer_id = ?, ' +
          'description = ?, idempotency_key = ?, status = ?, version = version + 1, gateway = ?, gateway_reference = ?, failure_code = ?, ' +
          'failure_reason = ?, metadata = ?, created_at = ?, updated_at = ? WHERE id = ? AND version = ?',
      );
    });

    it('should give one parameter per placeholder: the SET values in order, then the id, then the expected version', () => {
      const snapshot = aPaidPayment({}, testPaymentDependencies()).toSnapshot();

      const parameters = statement.parameters(snapshot, 41);

      expect(parameters).toHaveLength(statement.sql.split('?').length - 1);
      expect(parameters.slice(0, 3)).toEqual([snapshot.merchantId, snapshot.amount, snapshot.currency]);
      expect(parameters.slice(-2)).toEqual([snapshot.id, 41]);
    });
  });

  describe('when the table has no version column', () => {
    it('should refuse to build a compare-and-swap', () => {
      const c = columnsOf<{ id: string; n: number }>();
      const table = c.table({ name: 't', entity: 'T', primaryKeyConstraint: 'pk_t', columns: [c.field('id', 'id', varchar(5), { primary: true }), c.field('n', 'n', integer)] });

      expect(() => compareAndSwapStatement(table, '"t"')).toThrow(/no version column/);
    });
  });
});

describe(insertStatement, () => {
  describe('when derived for payments', () => {
    it('should list the inserted columns and one placeholder for each parameter', () => {
      const statement = insertStatement(PAYMENTS, '"payments"');
      const snapshot = aPaidPayment({}, testPaymentDependencies()).toSnapshot();

      expect(statement.sql).toBe(`INSERT INTO "payments" (${PAYMENTS.inserted.map((c) => c.name).join(', ')}) VALUES (${PAYMENTS.inserted.map(() => '?').join(', ')})`);
      expect(statement.parameters({ ...snapshot, version: 1 }, undefined)).toHaveLength(18);
    });
  });
});
