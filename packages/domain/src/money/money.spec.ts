import { Money } from './money';
describe(Money, () => {
  it('should add', () => {
    expect(Money.of(1, 'EUR').add(Money.of(2, 'EUR')).amount).toBe(3);
  });
});
