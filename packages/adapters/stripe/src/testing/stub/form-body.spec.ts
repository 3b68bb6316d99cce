import { FormBodyError, decodeForm } from './form-body';

describe(decodeForm, () => {
  it('should read flat, nested and listed parameters as the SDK encodes them', () => {
    const body = 'amount=1500&currency=eur&metadata%5Bpay%5D=pay_1&automatic_payment_methods%5Benabled%5D=true&expand%5B0%5D=latest_charge&expand%5B1%5D=customer';

    expect(decodeForm(body)).toEqual({
      amount: '1500',
      currency: 'eur',
      metadata: { pay: 'pay_1' },
      automatic_payment_methods: { enabled: 'true' },
      expand: ['latest_charge', 'customer'],
    });
  });

  it('should read empty brackets as a list', () => {
    expect(decodeForm('expand[]=a&expand[]=b')).toEqual({ expand: ['a', 'b'] });
  });

  it('should refuse a key used as a value and as an object', () => {
    expect(() => decodeForm('metadata=x&metadata[a]=b')).toThrow(FormBodyError);
  });
});
