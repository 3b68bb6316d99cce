/** Node's network errors that mean the database server could not be reached, and what each says. */
const NETWORK_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing accepts connections at that address and port (is the server running, and listening there?)',
  ENOTFOUND: 'its host name does not resolve',
  EAI_AGAIN: 'its host name could not be resolved (DNS did not answer)',
  ETIMEDOUT: 'the server did not answer in time',
  EHOSTUNREACH: 'its host is unreachable from here',
  ENETUNREACH: 'its network is unreachable from here',
  ECONNRESET: 'the server closed the connection while it was being set up',
};

/** PostgreSQL's SQLSTATEs for a connection it refused, and what each says. */
const POSTGRES_REFUSALS: Readonly<Record<string, string>> = {
  '3D000': 'the database does not exist on that server (create it, or fix the name)',
  '28000': 'the server refused the role (it may not exist)',
  '28P01': 'the server refused the password',
  '53300': 'the server has no connection slot left',
  '57P03': 'the server is starting up or shutting down',
};

/** SQLite's and the file system's errors for a database file that cannot be opened. */
const FILE_FAILURES: Readonly<Record<string, string>> = {
  SQLITE_CANTOPEN: 'the SQLite file cannot be opened (a directory, or no permission?)',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_READONLY: 'the SQLite file is read-only',
  EACCES: 'no permission to create the SQLite file or its directory',
  EEXIST: 'a file stands where the SQLite file’s directory should be',
  ENOTDIR: 'a file stands where the SQLite file’s directory should be',
  EROFS: 'the SQLite file would be on a read-only file system',
};

/**
 * What is wrong, in words, when connecting to the database failed for a reason outside the
 * program (the server down or unknown, the database missing, credentials refused, the SQLite file
 * unusable): `"connection refused: nothing accepts connections at that address and port (…)"`.
 * `undefined` for any other error, which is then a bug to report as such.
 */
export function describeConnectionFailure(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  // @aegispay/typeorm reports a database it cannot open as DatabaseUnavailableError, the driver's error as its cause.
  if (code === 'PERSISTENCE.DATABASE_UNAVAILABLE') return describeConnectionFailure(cause);
  if (typeof code !== 'string') return undefined;
  const said = typeof message === 'string' && message !== '' ? ` (${message})` : '';
  const reason = NETWORK_FAILURES[code] ?? POSTGRES_REFUSALS[code] ?? FILE_FAILURES[code];
  return reason === undefined ? undefined : `${reason}${said}`;
}
