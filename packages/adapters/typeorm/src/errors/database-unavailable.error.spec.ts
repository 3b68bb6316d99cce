import { AegisPayError } from '@aegispay/domain';
import { DatabaseUnavailableError } from './database-unavailable.error';

describe(DatabaseUnavailableError, () => {
  describe('when the driver says why', () => {
    it('should name the database, give the reason and what to check, and keep the driver error as cause', () => {
      const cause = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });

      const error = new DatabaseUnavailableError('postgres://***@db:5432/pay', cause);

      expect(AegisPayError.is(error)).toBe(true);
      expect(error.code).toBe('PERSISTENCE.DATABASE_UNAVAILABLE');
      expect(error.message).toBe(
        'Cannot open the database postgres://***@db:5432/pay: password authentication failed for user "app". Check the URL (host, port, user, password, database name), that the server is running, and that the database exists.',
      );
      expect(error.cause).toBe(cause);
      expect(error.details).toEqual({ database: 'postgres://***@db:5432/pay', reason: 'password authentication failed for user "app"' });
    });
  });

  describe('when every address refused the connection (an AggregateError without a message)', () => {
    it('should give the reasons of its errors', () => {
      const refused = new AggregateError([new Error('connect ECONNREFUSED ::1:5432'), new Error('connect ECONNREFUSED 127.0.0.1:5432')], '');

      expect(new DatabaseUnavailableError('postgres://localhost/pay', refused).message).toContain(': connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432. Check');
    });
  });

  describe('when the driver error comes from another realm (not instanceof Error)', () => {
    it('should still read its message', () => {
      const foreign = { name: 'SqliteError', message: 'file is not a database', code: 'SQLITE_NOTADB' };

      expect(new DatabaseUnavailableError('sqlite:/tmp/x.sqlite', foreign, 'Check the file.').message).toBe('Cannot open the database sqlite:/tmp/x.sqlite: file is not a database. Check the file.');
    });
  });
});
