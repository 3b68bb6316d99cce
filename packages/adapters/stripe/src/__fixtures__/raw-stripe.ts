import { request as httpRequest } from 'node:http';
import type { StripeStub } from '../testing';

/** A raw answer of the stub: status, headers (lower-case names), JSON body. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: Record<string, unknown>;
}

/**
 * Calls the stub as any HTTP client would, without the SDK: form body, Bearer key, optional
 * idempotency key; a new connection each time (so a restarted stub is reached afresh).
 */
export function rawStripe(
  stub: StripeStub,
  method: 'GET' | 'POST',
  path: string,
  form?: Record<string, string>,
  options: { idempotencyKey?: string; authorization?: string | null } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (options.authorization !== null) headers['Authorization'] = options.authorization ?? `Bearer ${stub.secretKey}`;
  if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
  const body = form === undefined ? '' : new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${stub.url}${path}`, { method, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) }, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('aborted', () => reject(new Error('answer cut')));
      response.on('end', () => {
        if (!response.complete) return reject(new Error('answer cut'));
        try {
          const get = (name: string): string | null => {
            const value = response.headers[name.toLowerCase()];
            return value === undefined ? null : String(value);
          };
          resolve({ status: response.statusCode ?? 0, headers: { get }, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** The form of a PaymentIntent created and confirmed with `paymentMethod`, as the connector sends it. */
export function aPaymentIntentForm(paymentMethod = 'pm_card_visa', extra: Record<string, string> = {}): Record<string, string> {
  return {
    amount: '2000',
    currency: 'usd',
    payment_method: paymentMethod,
    confirm: 'true',
    'automatic_payment_methods[enabled]': 'true',
    'automatic_payment_methods[allow_redirects]': 'never',
    'metadata[order]': 'order_1',
    ...extra,
  };
}
