import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';

/**
 * The app's structured logger: one JSON object per line, ISO timestamps. The app never logs
 * headers or bodies; the redaction paths are a second line of defence should a future log call
 * pass a request, a payment method or a key by mistake.
 *
 * @param service The `service` field of every line. Defaults to `aegispay`; the HTTP server's is `aegispay-api`.
 */
export function createAppLogger(level: AppConfig['logLevel'], destination: DestinationStream, service = 'aegispay'): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'authorization',
          'headers.authorization',
          '*.headers.authorization',
          'apiKey',
          '*.apiKey',
          'token',
          '*.token',
          '*.*.token',
          'body',
          '*.body',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
