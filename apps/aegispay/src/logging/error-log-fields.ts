/**
 * An error as log fields: its name, AegisPay code, message and stack — and nothing else, so a
 * driver error's query parameters or a request attached to an error never reach the logs. Log it
 * under `error`, not pino's `err`: that key's serializer takes this object for an error and
 * reports its type as "Object".
 */
export function errorLogFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message, stack: error.stack };
}
