import type { IncomingMessage } from 'node:http';
import { percentDecoded, safePathOf } from './request-context';

const requestFor = (url: string): IncomingMessage => ({ url }) as IncomingMessage;

describe(safePathOf, () => {
  it('should give the path without its query', () => {
    expect(safePathOf(requestFor('/v1/payments/pay_1?expand=attempts'))).toBe('/v1/payments/pay_1');
  });

  it.each([
    ['/v1/payments/4242424242424242'],
    ['/v1/payments/%34%32%34%32%34%32%34%32%34%32%34%32%34%32%34%32'],
    ['/v1/payments/%2534%2532%2534%2532%2534%2532%2534%2532%2534%2532%2534%2532%2534%2532%2534%2532'],
    ['/v1/cards/4242%204242%204242%204242'],
    ['/v1/cards/%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92%EF%BC%94%EF%BC%92'],
  ])('should hide %s, which holds a card number as sent or once decoded', (url) => {
    expect(safePathOf(requestFor(url))).toBe('[redacted]');
  });
});

describe(percentDecoded, () => {
  it('should decode UTF-8 sequences, again while some remain, and never throw', () => {
    expect(percentDecoded('/a%20b/%E2%82%AC')).toBe('/a b/€');
    expect(percentDecoded('%252534')).toBe('4');
    expect(percentDecoded('%E0%A4%A/%ZZ')).toBe('\ufffd%A/%ZZ');
  });
});
