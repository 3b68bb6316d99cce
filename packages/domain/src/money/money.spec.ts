import fc from 'fast-check';
import { AegisPayError } from '../errors/aegispay.error';
import { currencyOf, isCurrencyCode, listCurrencies } from './currency';
import { Money, assertMinorUnits } from './money';
import { CurrencyMismatchError, InvalidAmountError, InvalidCurrencyError } from './money.errors';

const currencyCodes = listCurrencies().map((currency) => currency.code);
const anyCurrency = fc.constantFrom(...currencyCodes);
const anyAmount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return AegisPayError.is(error) ? error.code : 'NOT_AN_AEGISPAY_ERROR';
  }
  return undefined;
}

describe(Money, () => {
  describe('.of', () => {
    describe('when the amount is an integer number of minor units', () => {
      it('should keep the amount and resolve the currency with its exponent', () => {
        const money = Money.of(1999, 'EUR');

        expect(money.amount).toBe(1999);
        expect(money.currency).toEqual({ code: 'EUR', exponent: 2 });
        expect(money.currencyCode).toBe('EUR');
      });

      it('should accept zero and Number.MAX_SAFE_INTEGER', () => {
        expect(Money.of(0, 'USD').amount).toBe(0);
        expect(Money.of(Number.MAX_SAFE_INTEGER, 'USD').amount).toBe(Number.MAX_SAFE_INTEGER);
      });

      it('should normalise -0 to 0', () => {
        expect(Object.is(Money.of(-0, 'EUR').amount, 0)).toBe(true);
      });
    });

    describe('when the amount is not a valid count of minor units', () => {
      it.each([
        [10.5, 'MONEY.AMOUNT_NOT_INTEGER'],
        [0.1, 'MONEY.AMOUNT_NOT_INTEGER'],
        [Number.NaN, 'MONEY.AMOUNT_NOT_FINITE'],
        [Number.POSITIVE_INFINITY, 'MONEY.AMOUNT_NOT_FINITE'],
        [Number.NEGATIVE_INFINITY, 'MONEY.AMOUNT_NOT_FINITE'],
        [-1, 'MONEY.AMOUNT_NEGATIVE'],
        [Number.MAX_SAFE_INTEGER + 1, 'MONEY.AMOUNT_TOO_LARGE'],
        [1e300, 'MONEY.AMOUNT_TOO_LARGE'],
        ['100', 'MONEY.AMOUNT_NOT_A_NUMBER'],
        [null, 'MONEY.AMOUNT_NOT_A_NUMBER'],
        [undefined, 'MONEY.AMOUNT_NOT_A_NUMBER'],
        [100n, 'MONEY.AMOUNT_NOT_A_NUMBER'],
      ])('should reject %p with %s', (amount, code) => {
        expect(codeOf(() => Money.of(amount, 'EUR'))).toBe(code);
      });

      it('should say what was wrong in a typed error naming the field', () => {
        let caught: unknown;
        try {
          Money.of(10.5, 'EUR');
        } catch (error) {
          caught = error;
        }

        expect(InvalidAmountError.is(caught)).toBe(true);
        expect((caught as InvalidAmountError).field).toBe('amount');
        expect((caught as InvalidAmountError).message).toMatch(/integer number of minor units.*10\.5/);
      });

      it('should reject every non-integer finite number', () => {
        fc.assert(
          fc.property(
            fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)),
            (amount) => codeOf(() => Money.of(amount, 'EUR')) === 'MONEY.AMOUNT_NOT_INTEGER',
          ),
        );
      });
    });

    describe('when the currency is not an active ISO 4217 code', () => {
      it.each([
        ['eur', 'MONEY.INVALID_CURRENCY_FORMAT'],
        ['Eur', 'MONEY.INVALID_CURRENCY_FORMAT'],
        ['EURO', 'MONEY.INVALID_CURRENCY_FORMAT'],
        ['E1R', 'MONEY.INVALID_CURRENCY_FORMAT'],
        ['', 'MONEY.INVALID_CURRENCY_FORMAT'],
        [' EUR', 'MONEY.INVALID_CURRENCY_FORMAT'],
        [42, 'MONEY.INVALID_CURRENCY_FORMAT'],
        [null, 'MONEY.INVALID_CURRENCY_FORMAT'],
        ['ABC', 'MONEY.UNKNOWN_CURRENCY'],
        ['HRK', 'MONEY.UNKNOWN_CURRENCY'],
        ['XAU', 'MONEY.UNKNOWN_CURRENCY'],
        ['XXX', 'MONEY.UNKNOWN_CURRENCY'],
      ])('should reject %p with %s', (currency, code) => {
        expect(codeOf(() => Money.of(100, currency))).toBe(code);
      });

      it('should reject every string that is not an active code', () => {
        fc.assert(
          fc.property(
            fc.string({ maxLength: 6 }).filter((code) => !currencyCodes.includes(code)),
            (code) => {
              const thrown = codeOf(() => currencyOf(code));
              return thrown === 'MONEY.INVALID_CURRENCY_FORMAT' || thrown === 'MONEY.UNKNOWN_CURRENCY';
            },
          ),
        );
      });

      it('should not echo a long value back in full', () => {
        expect(() => Money.of(1, 'x'.repeat(5000))).toThrow(/"x{12}…"/);
      });
    });
  });

  describe('.add / .subtract', () => {
    describe('when both are in one currency', () => {
      it('should add and subtract exactly', () => {
        expect(Money.of(150, 'EUR').add(Money.of(50, 'EUR'))).toEqual(Money.of(200, 'EUR'));
        expect(Money.of(150, 'EUR').subtract(Money.of(50, 'EUR'))).toEqual(Money.of(100, 'EUR'));
      });

      it('should make subtract the inverse of add', () => {
        fc.assert(
          fc.property(anyCurrency, fc.nat({ max: 2 ** 51 }), fc.nat({ max: 2 ** 51 }), (currency, a, b) => {
            const left = Money.of(a, currency);
            const right = Money.of(b, currency);
            return left.add(right).subtract(right).equals(left) && left.add(right).equals(right.add(left));
          }),
        );
      });

      it('should refuse a result below zero', () => {
        expect(codeOf(() => Money.of(1, 'EUR').subtract(Money.of(2, 'EUR')))).toBe('MONEY.AMOUNT_NEGATIVE');
      });

      it('should refuse a sum above Number.MAX_SAFE_INTEGER', () => {
        expect(codeOf(() => Money.of(Number.MAX_SAFE_INTEGER, 'EUR').add(Money.of(1, 'EUR')))).toBe('MONEY.AMOUNT_TOO_LARGE');
      });
    });

    describe('when the currencies differ', () => {
      it.each(['add', 'subtract', 'compare', 'min', 'greaterThan', 'lessThan'] as const)('should refuse to %s', (operation) => {
        const eur = Money.of(100, 'EUR');
        const usd = Money.of(100, 'USD');

        expect(() => eur[operation](usd)).toThrow(CurrencyMismatchError);
        expect(codeOf(() => eur[operation](usd))).toBe('MONEY.CURRENCY_MISMATCH');
      });

      it('should say two different currencies are not equal', () => {
        expect(Money.of(100, 'EUR').equals(Money.of(100, 'USD'))).toBe(false);
      });
    });
  });

  describe('.compare', () => {
    it('should order amounts of one currency', () => {
      expect(Money.of(1, 'JPY').compare(Money.of(2, 'JPY'))).toBe(-1);
      expect(Money.of(2, 'JPY').compare(Money.of(2, 'JPY'))).toBe(0);
      expect(Money.of(3, 'JPY').compare(Money.of(2, 'JPY'))).toBe(1);
      expect(Money.of(3, 'JPY').min(Money.of(2, 'JPY')).amount).toBe(2);
    });
  });

  describe('.toDecimalString', () => {
    it.each([
      [1999, 'EUR', '19.99 EUR'],
      [5, 'EUR', '0.05 EUR'],
      [0, 'EUR', '0.00 EUR'],
      [1999, 'JPY', '1999 JPY'],
      [1234, 'KWD', '1.234 KWD'],
      [12345, 'CLF', '1.2345 CLF'],
    ])('should render %p %s as %s', (amount, currency, text) => {
      expect(Money.of(amount, currency).toString()).toBe(text);
    });
  });

  describe('.toJSON / .fromJSON', () => {
    it('should round-trip every amount in every currency', () => {
      fc.assert(
        fc.property(anyAmount, anyCurrency, (amount, currency) => {
          const money = Money.of(amount, currency);
          const back = Money.fromJSON(JSON.parse(JSON.stringify(money)) as { amount: number; currency: string });
          return back.equals(money) && back.currency.exponent === money.currency.exponent;
        }),
      );
    });
  });

  it('should be immutable', () => {
    const money = Money.of(100, 'EUR');

    expect(() => {
      (money as { amount: number }).amount = 1;
    }).toThrow(TypeError);
  });
});

describe(assertMinorUnits, () => {
  it('should name the field it was given', () => {
    expect(() => assertMinorUnits(1.5, 'refund.amount')).toThrow(/refund\.amount must be an integer/);
  });
});

describe('ISO 4217 table', () => {
  it('should cover the active currencies with their ISO exponents', () => {
    expect(currencyCodes.length).toBeGreaterThanOrEqual(160);
    expect(currencyOf('JPY').exponent).toBe(0);
    expect(currencyOf('EUR').exponent).toBe(2);
    expect(currencyOf('KWD').exponent).toBe(3);
    expect(currencyOf('BHD').exponent).toBe(3);
    expect(currencyOf('CLF').exponent).toBe(4);
    expect(currencyOf('UYW').exponent).toBe(4);
    expect(currencyOf('KRW').exponent).toBe(0);
    expect(currencyOf('XCG').exponent).toBe(2);
  });

  it('should list each code once, as three upper-case letters with an exponent of 0, 2, 3 or 4', () => {
    expect(new Set(currencyCodes).size).toBe(currencyCodes.length);
    for (const currency of listCurrencies()) {
      expect(currency.code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(currency.exponent);
    }
  });

  it('should leave out withdrawn currencies and units without a minor unit', () => {
    for (const code of ['HRK', 'ANG', 'SLL', 'ZWL', 'BGN', 'XAU', 'XDR', 'XTS', 'XXX']) {
      expect(isCurrencyCode(code)).toBe(false);
    }
    expect(InvalidCurrencyError.is(catchError(() => currencyOf('HRK')))).toBe(true);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
