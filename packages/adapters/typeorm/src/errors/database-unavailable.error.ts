import { AegisPayError } from '@aegispay/domain';

/**
 * The database could not be opened (`PERSISTENCE.DATABASE_UNAVAILABLE`): the server is not
 * reachable, refuses the credentials or has no such database, or the SQLite file cannot be
 * created or opened. The message names the database (credentials masked), gives the driver's
 * reason and what to check; `cause` is the driver's error, `details` hold `database` and `reason`.
 */
export class DatabaseUnavailableError extends AegisPayError {
  /**
   * @param database The database as it may be shown: a URL with its credentials masked, or a file.
   * @param cause The driver's error.
   * @param hint What to check. Defaults to advice for a server (URL, server running, database exists).
   */
  constructor(database: string, cause: unknown, hint = 'Check the URL (host, port, user, password, database name), that the server is running, and that the database exists.') {
    const reason = reasonOf(cause);
    super('PERSISTENCE.DATABASE_UNAVAILABLE', `Cannot open the database ${database}: ${reason}. ${hint}`, { cause, details: { database, reason } });
  }
}

/**
 * A driver error's message. Read by shape, not `instanceof Error`: a driver's error class may come
 * from another realm (a native module loaded once per process under a test runner's contexts). A
 * connection refused on every address is an `AggregateError` with an empty message.
 */
function reasonOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, errors, code, name } = error as { message?: unknown; errors?: unknown; code?: unknown; name?: unknown };
  if (typeof message === 'string' && message !== '') return message;
  const inner = Array.isArray(errors) ? errors.map(reasonOf).filter((text) => text !== '') : [];
  if (inner.length > 0) return inner.join('; ');
  return typeof code === 'string' ? code : typeof name === 'string' ? name : String(error);
}
