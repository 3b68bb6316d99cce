import { SeededRandom, disguisedCardNumberValues } from '../testing';
import { findCardNumber } from './card-number-finder';

describe(findCardNumber, () => {
  it('should return the path of the first field holding a card number, at any depth', () => {
    expect(findCardNumber({ a: 'x', b: { c: ['ok', 'pan 4111111111111111'] } })).toBe('b.c[1]');
    expect(findCardNumber({ amount: 4111111111111111 })).toBe('amount');
    expect(findCardNumber({ nothing: 'here', n: 42 })).toBeUndefined();
  });

  it('should read numbers beyond what a double holds without failing', () => {
    expect(findCardNumber({ huge: JSON.parse('1e400') as number, tiny: -Infinity, big: 1e300, bigint: 4242424242424242n })).toBe('bigint');
  });

  describe('when a key holds digits', () => {
    it('should report a key that is a card number without repeating its digits', () => {
      expect(findCardNumber({ metadata: { '4111111111111111': 'x' } })).toBe('metadata.<key>');
      expect(findCardNumber({ '4111.1111.1111.1111': 'x' })).toBe('<key>');
    });

    it('should not repeat a key of many digits in the path of a value below it', () => {
      expect(findCardNumber({ metadata: { '42424242': '4242 4242 4242 4242' } })).toBe('metadata.<key>');
    });

    it('should quote a key that is not a plain name', () => {
      expect(findCardNumber({ metadata: { 'odd key': '4242424242424242' } })).toBe('metadata["odd key"]');
    });
  });

  describe('when a card number is disguised in a JSON value', () => {
    const corpus = disguisedCardNumberValues();

    it(`should find every one of the ${corpus.length} forms of the corpus`, () => {
      const missed = corpus.filter((entry) => findCardNumber(entry.value) === undefined).map((entry) => `${entry.form}: ${JSON.stringify(entry.value)}`);

      expect(missed).toEqual([]);
      expect(corpus.length).toBeGreaterThanOrEqual(300);
    });

    it('should name the first value of a split number', () => {
      expect(findCardNumber({ metadata: { country: 'DE', pan1: '42424242', pan2: '42424242' } })).toBe('metadata.pan1');
      expect(findCardNumber({ metadata: { note: 4242424242.424242 } })).toBe('metadata.note');
    });
  });

  describe('when neighbouring values are unrelated', () => {
    it('should not join values whose keys are not parts of one thing', () => {
      expect(findCardNumber({ orderId: '42424242', customerId: '42424242' })).toBeUndefined();
      expect(findCardNumber({ pan1: '42424242', note: 'x', pan2: '42424242' })).toBeUndefined();
      expect(findCardNumber({ bin: '424242', last4: '4242' })).toBeUndefined();
    });

    it('should join nothing in the metadata of 20 000 payments with numeric ids', () => {
      const random = new SeededRandom(11);
      const id = (): number => 100_000 + Math.floor(random.next() * 9_999_900_000);
      const found: unknown[] = [];

      for (let index = 0; index < 20_000; index += 1) {
        const metadata = { order_id: id(), customer_id: String(id()), quantity: 1 + (index % 5), sku: String(id()), store: id() };
        if (findCardNumber({ metadata }) !== undefined) found.push(metadata);
      }

      expect(found).toEqual([]);
    });
  });
});
