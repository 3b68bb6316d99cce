import { fieldPath } from './field-path';

describe(fieldPath, () => {
  it('should write names with dots, indexes in brackets and other keys quoted', () => {
    expect(fieldPath(['paymentMethod', 'token'])).toBe('paymentMethod.token');
    expect(fieldPath(['items', 2, 'sku'])).toBe('items[2].sku');
    expect(fieldPath(['metadata', 'odd key'])).toBe('metadata["odd key"]');
    expect(fieldPath([])).toBe('');
  });

  it('should never repeat a key holding a card number or more than six digits, in any script', () => {
    expect(fieldPath(['metadata', '4242.4242.4242.4242'])).toBe('metadata.<key>');
    expect(fieldPath(['pan_42424242'])).toBe('<key>');
    expect(fieldPath(['metadata', 'pan_４２４２４２４２'])).toBe('metadata.<key>');
    expect(fieldPath(['line_123456'])).toBe('line_123456');
  });

  it('should bound the length of what it repeats', () => {
    expect(fieldPath(['metadata', 'x '.repeat(100)])).toBe(`metadata[${JSON.stringify('x '.repeat(20))}]`);
    expect(fieldPath(Array.from({ length: 30 }, () => 'segment')).length).toBe(120);
  });
});
