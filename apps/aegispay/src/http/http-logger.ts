import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';

/**
 * The server's structured logger: one JSON object per line, ISO timestamps. The API never logs
 * headers or bodies; the redaction paths are a second line of defence should a future log call
 * pass a request, a payment method or a key by mistake.
 */
export function createHttpLogger(level: AppConfig['logLevel'], destination: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'aegispay-api' },
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
