import { containsCardNumber } from '@aegispay/domain';
import { visit, type JSONPath } from 'jsonc-parser';

/** Why a text `JSON.parse` accepts is still refused as a request body, and where. */
export interface JsonBodyViolation {
  /**
   * `DUPLICATE_KEY`: a key given twice in one object; `LONE_SURROGATE`: a string or key with an
   * unpaired UTF-16 surrogate escape; `CARD_NUMBER`: a string or number literal holding a card
   * number, as written.
   */
  readonly kind: 'DUPLICATE_KEY' | 'LONE_SURROGATE' | 'CARD_NUMBER';
  /** Keys and array indexes down to the offending key or value. */
  readonly path: JSONPath;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first place, in document order, where a valid JSON text (one `JSON.parse` accepted) is
 * not acceptable as a request body, or `undefined`:
 *
 * - a key given twice in one object, at any depth, compared after unescaping (`"a"` and
 *   `"\u0061"` are the same key). `JSON.parse` keeps the last silently, so whatever the first
 *   held (a card number in the first `token`) would be dropped unseen, and parsers disagree on
 *   which copy wins;
 * - a string or key holding an unpaired surrogate (`"\ud800x"`): not Unicode text, and altered
 *   when stored as UTF-8;
 * - a string or number literal that holds a card number as written: every value is seen, those of
 *   a duplicated key included, and a number's own digits (a number above 2^53 loses digits when
 *   parsed, so the parsed value is not enough).
 *
 * The text is walked by jsonc-parser's visitor (tokens with their offsets and their JSON paths),
 * in strict mode (no comments, no trailing commas).
 */
export function findJsonBodyViolation(text: string): JsonBodyViolation | undefined {
  const keysOfOpenObjects: Set<string>[] = [];
  let violation: JsonBodyViolation | undefined;
  const report = (kind: JsonBodyViolation['kind'], path: JSONPath): void => {
    violation ??= { kind, path };
  };
  visit(
    text,
    {
      onObjectBegin: () => {
        keysOfOpenObjects.push(new Set());
      },
      onObjectEnd: () => {
        keysOfOpenObjects.pop();
      },
      onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
        if (violation !== undefined) return;
        const keys = keysOfOpenObjects[keysOfOpenObjects.length - 1];
        if (LONE_SURROGATE.test(key)) report('LONE_SURROGATE', [...pathSupplier(), key]);
        else if (keys?.has(key) === true) report('DUPLICATE_KEY', [...pathSupplier(), key]);
        keys?.add(key);
      },
      onLiteralValue: (value: unknown, offset, length, _line, _column, pathSupplier) => {
        if (violation !== undefined) return;
        if (typeof value === 'string' && LONE_SURROGATE.test(value)) report('LONE_SURROGATE', pathSupplier());
        else if ((typeof value === 'string' || typeof value === 'number') && containsCardNumber(typeof value === 'string' ? value : text.slice(offset, offset + length))) {
          report('CARD_NUMBER', pathSupplier());
        }
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return violation;
}
