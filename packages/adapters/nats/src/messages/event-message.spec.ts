import type { DomainEvent } from '@aegispay/domain';
import { decodeEventMessage, encodeEventMessage } from './event-message';

const event: DomainEvent = {
  id: 'evt_1',
  type: 'PaymentSucceeded',
  aggregateType: 'Payment',
  aggregateId: 'pay_1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  payload: { merchantId: 'merchant_42', gateway: 'STRIPE', amount: 15000, currency: 'EUR', note: 'café' },
};

describe(encodeEventMessage, () => {
  it('should write the event as UTF-8 JSON that decodes to an equal event', () => {
    const body = encodeEventMessage(event);

    expect(JSON.parse(new TextDecoder().decode(body))).toEqual(event);
    expect(decodeEventMessage(body)).toEqual(event);
  });
});

describe(decodeEventMessage, () => {
  const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

  it.each([
    ['not JSON', new TextEncoder().encode('{nope'), /not UTF-8 JSON/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /not UTF-8 JSON/],
    ['an array', encode([event]), /not a JSON object/],
    ['an event without id', encode({ ...event, id: undefined }), /"id" is not a non-empty string/],
    ['an event with an empty type', encode({ ...event, type: '' }), /"type" is not a non-empty string/],
    ['an event whose payload is a list', encode({ ...event, payload: [] }), /"payload" is not a JSON object/],
  ])('should refuse %s with InvalidEventMessageError', (_what, body, message) => {
    expect(() => decodeEventMessage(body)).toThrow(expect.objectContaining({ code: 'NATS.INVALID_EVENT_MESSAGE', message: expect.stringMatching(message) as string }) as Error);
  });
});
