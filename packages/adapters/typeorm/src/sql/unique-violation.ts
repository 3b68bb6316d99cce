/**
 * When `error` is a unique-constraint violation, the text that names the constraint (PostgreSQL's
 * constraint name, SQLite's "table.column, …" list); otherwise undefined.
 */
export function uniqueViolation(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { code?: unknown; constraint?: unknown; message?: unknown } } | null)?.driverError;
  if (driverError === undefined || driverError === null) return undefined;
  const code = String(driverError.code ?? '');
  if (code === '23505') return String(driverError.constraint ?? '');
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return String(driverError.message ?? '');
  return undefined;
}
