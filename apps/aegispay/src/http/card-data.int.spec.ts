import { disguisedCardNumberTexts, disguisedCardNumberValues, withCheckDigit } from '@aegispay/domain/testing';
import type { Response } from 'supertest';
import { aPaymentBody, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';

const CARD = '4242424242424242';
const TEXT_FORMS = disguisedCardNumberTexts().filter((entry) => entry.digits === CARD);
const VALUE_FORMS = disguisedCardNumberValues().filter((entry) => entry.digits === CARD);

/** Every byte of `text` percent-encoded (`4` → `%34`), as a client may send a path. */
const percentEncoded = (text: string): string => Array.from(Buffer.from(text, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * Nothing a client sent that holds a card number ever appears in a response or a log line: card
 * numbers in every disguise of the corpus, in bodies, raw JSON, paths, keys and headers, are
 * refused without being repeated — the digits, the text as sent, and the way it was encoded.
 */
describe.each(testDialects('HTTP API card data'))('card data over HTTP on %s', (dialect) => {
  let api: ApiHarness;
  let keys = 0;

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api.stop();
  });

  const post = (body: unknown, raw = false): Promise<Response> => {
    keys += 1;
    const test = api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', `card-data-${keys}`).set('Content-Type', 'application/json');
    return test.send(raw ? (body as string) : JSON.stringify(body));
  };

  /** Neither the response nor any log line holds the card number, in ASCII or as it was sent. */
  function expectNotRepeated(response: Response, ...sent: readonly string[]): void {
    for (const text of [CARD, ...sent]) {
      expect(response.text).not.toContain(text);
      expect(JSON.stringify(response.headers)).not.toContain(text);
      expect(api.logs()).not.toContain(text);
    }
  }

  describe('POST /v1/payments', () => {
    describe('when the description holds a disguised card number', () => {
      it.each(TEXT_FORMS.map((entry) => [entry.form, entry.value] as const))('should refuse it written with %s, repeating and logging none of it', async (_form, text) => {
        const payments = await api.count('payments');

        const response = await post(aPaymentBody({ description: text }));

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'PAYMENT.CARD_DATA_DETECTED', errors: [{ field: 'description' }] });
        expectNotRepeated(response, text);
        expect(await api.count('payments')).toBe(payments);
      });
    });

    describe('when a JSON value of the body holds one', () => {
      it.each(VALUE_FORMS.map((entry) => [entry.form, entry.value] as const))('should refuse it as %s', async (_form, value) => {
        const response = await post({ ...aPaymentBody(), ...(value as Record<string, unknown>) });

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'PAYMENT.CARD_DATA_DETECTED' });
        expectNotRepeated(response, ...Object.keys((value as { metadata?: object }).metadata ?? {}).filter((key) => /\d{8}/.test(key)));
      });
    });

    describe('when the raw JSON hides one in escapes or in number syntax', () => {
      const longCard = withCheckDigit('424242424242424242'); // 19 digits: a double keeps 17 at most
      it.each([
        ['escaped digits', `"description": "${Array.from(CARD, (digit) => `\\u003${digit}`).join('')}"`, 'description'],
        ['a number with a decimal point', '"metadata": {"n": 4242424242.424242}', 'metadata.n'],
        ['a number in exponent notation', '"metadata": {"n": 4.242424242424242e15}', 'metadata.n'],
        ['a 19-digit number that loses digits when parsed', `"metadata": {"n": ${longCard}}`, 'metadata.n'],
        ['a key given twice, the card in the first copy', `"metadata": {"note": "${CARD}", "note": "fine"}`, 'metadata.note'],
      ])('should refuse %s', async (_form, member, field) => {
        const response = await post(`{"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_visa_test_4242"}, ${member}}`, true);

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'PAYMENT.CARD_DATA_DETECTED', errors: [{ field }] });
        expectNotRepeated(response, longCard);
      });
    });

    describe('when an unknown field is named like a card number', () => {
      it.each([
        ['a card number', '4242.4242.4242.4242', 'PAYMENT.CARD_DATA_DETECTED'],
        ['half a card number', 'pan_42424242', 'REQUEST.VALIDATION_FAILED'],
        ['digits in another script', 'pan_４２４２４２４２', 'REQUEST.VALIDATION_FAILED'],
      ])('should refuse a key holding %s without repeating it', async (_what, key, code) => {
        const response = await post({ ...aPaymentBody(), [key]: 'x' });

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code, errors: [{ field: '<key>' }] });
        expectNotRepeated(response, key, '42424242', '４２４２');
      });
    });
  });

  describe('a card number in the path', () => {
    it.each([
      ['a payment id, percent-encoded', 'GET', `/v1/payments/${percentEncoded(CARD)}`],
      ['a payment id, encoded twice', 'GET', `/v1/payments/${percentEncoded(CARD).replace(/%/g, '%25')}`],
      ['a payment id in full-width digits, encoded', 'GET', `/v1/payments/${percentEncoded('４２４２４２４２４２４２４２４２')}`],
      ['a refund path, percent-encoded', 'POST', `/v1/payments/${percentEncoded(CARD)}/refunds`],
      ['an unmatched route, percent-encoded', 'GET', `/v1/cards/${percentEncoded(CARD)}`],
      ['an unmatched route, encoded spaces', 'GET', `/v1/cards/${percentEncoded('4242 4242 4242 4242')}`],
      ['an unmatched route, dashed', 'DELETE', '/v1/cards/4242-4242-4242-4242'],
    ])('should answer %s with a problem whose instance hides it, and log none of it', async (_what, method, path) => {
      const test = method === 'GET' ? api.http().get(path) : method === 'POST' ? api.http().post(path).set('Idempotency-Key', 'path-card').send({}) : api.http().delete(path);

      const response = await test.set('Authorization', `Bearer ${MERCHANT_A.key}`);

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body).toMatchObject({ instance: '[redacted]' });
      expectNotRepeated(response, ...path.split('/').filter((segment) => /\d{4}/.test(segment)), '4242-4242');
    });
  });

  describe('headers', () => {
    it('should refuse an Idempotency-Key holding a card number written with dots', async () => {
      const response = await api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', '4242.4242.4242.4242').send(aPaymentBody());

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'PAYMENT.CARD_DATA_DETECTED', errors: [{ field: 'header:Idempotency-Key' }] });
      expectNotRepeated(response, '4242.4242.4242.4242');
    });

    it('should not take an X-Request-Id holding a card number as the request id', async () => {
      const response = await api.http().get('/healthz').set('X-Request-Id', '4242_4242_4242_4242');

      expect(response.headers['x-request-id']).toMatch(/^req_/);
      expectNotRepeated(response, '4242_4242_4242_4242');
    });
  });
});
