import { ProblemError } from './problem-details';

/**
 * The answer to card data in a request body: 400 `PAYMENT.CARD_DATA_DETECTED` naming the field
 * (a path from `fieldPath` or `findCardNumber`, which never repeat the digits), never the value.
 */
export function cardDataProblem(field: string): ProblemError {
  const name = field === '' ? '(body)' : field;
  return new ProblemError(
    400,
    'PAYMENT.CARD_DATA_DETECTED',
    `${name} contains what looks like a card number. AegisPay never accepts raw card data: send the token your vault or gateway issued (nothing was stored or logged).`,
    { errors: [{ field: name, code: 'PAYMENT.CARD_DATA_DETECTED', message: 'This value looks like a card number.' }] },
  );
}
