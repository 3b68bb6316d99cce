import { findJsonBodyViolation } from './strict-json';

describe(findJsonBodyViolation, () => {
  describe('when the text is plain, valid JSON', () => {
    it.each([
      ['{}'],
      ['{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}'],
      ['{"emoji": "\\ud83d\\ude00", "raw": "😀", "key\\ud83d\\ude00": true}'],
      ['[1, 2.5, -3e2, "text", null, false]'],
      ['{"order": 1767225600000, "id": "9f8a4b21-1234-4567-8901-123456789012"}'],
    ])('should find nothing in %s', (text) => {
      expect(findJsonBodyViolation(text)).toBeUndefined();
    });
  });

  describe('when a key is given twice in one object', () => {
    it.each([
      ['{"amount": 1, "amount": 2}', ['amount']],
      ['{"a": {"b": {"c": 1, "c": 2}}}', ['a', 'b', 'c']],
      ['{"items": [{"x": 1}, {"x": 1, "x": 2}]}', ['items', 1, 'x']],
      ['{"token": "a", "t\\u006fken": "b"}', ['token']],
    ])('should report %s at its path', (text, path) => {
      expect(findJsonBodyViolation(text)).toEqual({ kind: 'DUPLICATE_KEY', path });
    });
  });

  describe('when a string or a key holds an unpaired surrogate', () => {
    it.each([
      ['{"description": "\\ud800x"}', ['description']],
      ['{"description": "x\\udc00"}', ['description']],
      ['{"description": "\\ude00\\ud83d"}', ['description']],
      ['{"list": ["ok", "\\udbff"]}', ['list', 1]],
      ['{"k\\ud800": 1}', ['k\ud800']],
    ])('should report %s', (text, path) => {
      expect(findJsonBodyViolation(text)).toEqual({ kind: 'LONE_SURROGATE', path });
    });
  });

  describe('when a literal holds a card number as written', () => {
    it.each([
      ['{"n": 4242424242424242428}', ['n']], // 19 digits: parsed, it would read 4242424242424242000
      ['{"n": 4242424242.424242}', ['n']],
      ['{"a": {"note": "pan 4242 4242 4242 4242"}}', ['a', 'note']],
      ['{"note": "4242424242424242", "note": "fine"}', ['note']],
    ])('should report %s', (text, path) => {
      expect(findJsonBodyViolation(text)).toEqual({ kind: 'CARD_NUMBER', path });
    });
  });

  it('should report the first violation in document order', () => {
    expect(findJsonBodyViolation('{"a": "\\ud800", "a": 1}')).toEqual({ kind: 'LONE_SURROGATE', path: ['a'] });
    expect(findJsonBodyViolation('{"a": 1, "a": "\\ud800"}')).toEqual({ kind: 'DUPLICATE_KEY', path: ['a'] });
  });
});
