import { ValidationError } from '../errors/validation.error';
import { AegisPayError } from '../errors/aegispay.error';

/**
 * An amount is not a valid number of minor units. `code` says why:
 * `MONEY.AMOUNT_NOT_A_NUMBER`, `MONEY.AMOUNT_NOT_FINITE`, `MONEY.AMOUNT_NOT_INTEGER`,
 * `MONEY.AMOUNT_NEGATIVE`, `MONEY.AMOUNT_TOO_LARGE`.
 */
export class InvalidAmountError extends ValidationError {
  constructor(code: string, message: string, field = 'amount') {
    super(code, field, message);
  }
}

/** A currency code is malformed (`MONEY.INVALID_CURRENCY_FORMAT`) or unknown (`MONEY.UNKNOWN_CURRENCY`). */
export class InvalidCurrencyError extends ValidationError {
  constructor(code: string, message: string, field = 'currency') {
    super(code, field, message);
  }
}

/** Arithmetic or comparison between two different currencies (`MONEY.CURRENCY_MISMATCH`). */
export class CurrencyMismatchError extends AegisPayError {
  constructor(
    readonly left: string,
    readonly right: string,
    operation: string,
  ) {
    super(
      'MONEY.CURRENCY_MISMATCH',
      `Cannot ${operation} ${left} and ${right}: money can only be combined within one currency.`,
      { details: { left, right, operation } },
    );
  }
}
