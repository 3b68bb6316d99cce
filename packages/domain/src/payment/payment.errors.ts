import { AegisPayError } from '../errors/aegispay.error';
import { ValidationError } from '../errors/validation.error';
import type { PaymentStatus } from './payment-status';

/** A field of a payment request is missing or malformed (`PAYMENT.INVALID_*`). */
export class InvalidPaymentError extends ValidationError {}

/**
 * Something that looks like a primary account number (a Luhn-valid run of 12–19 digits) was found
 * in the input (`PAYMENT.CARD_DATA_DETECTED`). The message names the field, never the digits.
 */
export class CardDataDetectedError extends ValidationError {
  constructor(field: string) {
    super(
      'PAYMENT.CARD_DATA_DETECTED',
      field,
      `${field} contains what looks like a card number. AegisPay never accepts raw card data: ` +
        'send the token your vault or gateway issued instead (the value has not been stored or logged).',
    );
  }
}

/** A status change the transition table does not allow (`PAYMENT.ILLEGAL_TRANSITION`). */
export class IllegalStateTransitionError extends AegisPayError {
  constructor(
    readonly from: PaymentStatus,
    readonly to: PaymentStatus,
    readonly paymentId?: string,
  ) {
    super(
      'PAYMENT.ILLEGAL_TRANSITION',
      `A payment cannot go from ${from} to ${to}${paymentId === undefined ? '' : ` (payment ${paymentId})`}.`,
      { details: { from, to, ...(paymentId === undefined ? {} : { paymentId }) } },
    );
  }
}

/** A refund would take the refunded total above the captured amount (`PAYMENT.REFUND_EXCEEDS_CAPTURED`). */
export class RefundExceedsCapturedError extends AegisPayError {
  constructor(
    readonly paymentId: string,
    readonly requested: number,
    readonly refundable: number,
    readonly currency: string,
  ) {
    super(
      'PAYMENT.REFUND_EXCEEDS_CAPTURED',
      `Refund of ${requested} ${currency} minor units on payment ${paymentId} exceeds the ${refundable} still refundable.`,
      { details: { paymentId, requested, refundable, currency } },
    );
  }
}

/** No entity with this id exists (`REPOSITORY.NOT_FOUND`, `PAYMENT.NOT_FOUND` for payments). */
export class EntityNotFoundError extends AegisPayError {
  constructor(
    readonly entity: string,
    readonly id: string,
    code = 'REPOSITORY.NOT_FOUND',
  ) {
    super(code, `${entity} ${id} does not exist.`, { details: { entity, id } });
  }
}

/** No payment with this id exists (`PAYMENT.NOT_FOUND`). */
export class PaymentNotFoundError extends EntityNotFoundError {
  constructor(id: string) {
    super('Payment', id, 'PAYMENT.NOT_FOUND');
  }
}

/** An entity with this id (or unique key) already exists (`REPOSITORY.DUPLICATE`). */
export class DuplicateEntityError extends AegisPayError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super('REPOSITORY.DUPLICATE', `${entity} ${id} already exists.`, { details: { entity, id } });
  }
}
