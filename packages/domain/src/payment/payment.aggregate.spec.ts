import fc from 'fast-check';
import { AegisPayError } from '../errors/aegispay.error';
import { aPaidPayment, aPaymentRequest, aPendingPayment, testPaymentDependencies } from '../testing';
import { Payment } from './payment.aggregate';
import { CardDataDetectedError, IllegalStateTransitionError, RefundExceedsCapturedError, type InvalidPaymentError } from './payment.errors';

const PAN = '4111111111111111';

function thrown(fn: () => unknown): AegisPayError {
  try {
    fn();
  } catch (error) {
    if (AegisPayError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an AegisPayError, nothing was thrown');
}

describe(Payment, () => {
  describe('.create', () => {
    describe('when the request is valid', () => {
      it('should create a PENDING payment at version 0 with the request data', () => {
        const deps = testPaymentDependencies();
        const payment = Payment.create(aPaymentRequest({ idempotencyKey: 'order-1001' }), deps);

        expect(payment.id).toBe('pay_000001');
        expect(payment.status).toBe('PENDING');
        expect(payment.version).toBe(0);
        expect(payment.amount).toBe(15000);
        expect(payment.currency).toBe('EUR');
        expect(payment.money.toString()).toBe('150.00 EUR');
        expect(payment.paymentMethod).toEqual({ type: 'CARD', token: 'tok_visa_4242' });
        expect(payment.idempotencyKey).toBe('order-1001');
        expect(payment.metadata).toEqual({ country: 'DE', region: 'EU' });
        expect(payment.createdAt.getTime()).toBe(deps.clock.now());
        expect(payment.attempts).toEqual([]);
        expect(payment.refunds).toEqual([]);
      });

      it('should record PaymentCreated with a timestamp from the clock', () => {
        const deps = testPaymentDependencies();
        const payment = Payment.create(aPaymentRequest(), deps);

        expect(payment.pullEvents()).toEqual([
          {
            id: 'evt_000002',
            type: 'PaymentCreated',
            aggregateType: 'Payment',
            aggregateId: 'pay_000001',
            occurredAt: '2026-01-01T00:00:00.000Z',
            payload: { merchantId: 'merchant_1', amount: 15000, currency: 'EUR', paymentMethodType: 'CARD' },
          },
        ]);
      });

      it('should work with the system clock and random ids when no dependencies are given', () => {
        const payment = Payment.create(aPaymentRequest());

        expect(payment.id).toMatch(/^pay_[0-9a-f-]{36}$/);
      });
    });

    describe('when a field looks like a card number', () => {
      it.each([
        ['paymentMethod.token', { paymentMethod: { type: 'CARD' as const, token: PAN } }],
        ['paymentMethod.token', { paymentMethod: { type: 'CARD' as const, token: '4111 1111 1111 1111' } }],
        ['description', { description: `card ${PAN.replace(/(\d{4})/g, '$1-').slice(0, -1)}` }],
        ['metadata.note', { metadata: { note: `pan ${PAN}` } }],
        ['metadata.n', { metadata: { n: Number(PAN) } }],
        ['customerId', { customerId: PAN }],
        ['idempotencyKey', { idempotencyKey: `key-${PAN}` }],
        ['merchantId', { merchantId: PAN }],
      ])('should reject it in %s without echoing the digits', (field, overrides) => {
        const error = thrown(() => Payment.create(aPaymentRequest(overrides), testPaymentDependencies()));

        expect(CardDataDetectedError.is(error)).toBe(true);
        expect(error.code).toBe('PAYMENT.CARD_DATA_DETECTED');
        expect((error as CardDataDetectedError).field).toBe(field);
        expect(error.message).not.toMatch(/\d{4}/);
        expect(JSON.stringify(error)).not.toMatch(/4111/);
      });

      it('should reject it in a metadata key without echoing the digits', () => {
        const error = thrown(() => Payment.create(aPaymentRequest({ metadata: { [PAN]: 'x' } }), testPaymentDependencies()));

        expect(error.code).toBe('PAYMENT.CARD_DATA_DETECTED');
        expect(JSON.stringify(error)).not.toMatch(/4111/);
      });

      it('should reject it in an unexpected extra field too', () => {
        const request = { ...aPaymentRequest(), paymentMethod: { type: 'CARD' as const, token: 'tok_1', cvv: '123', pan: PAN } };

        expect(thrown(() => Payment.create(request, testPaymentDependencies())).code).toBe('PAYMENT.CARD_DATA_DETECTED');
      });
    });

    describe('when a field is invalid', () => {
      it.each([
        ['merchantId', { merchantId: '' }, 'PAYMENT.INVALID_MERCHANT_ID'],
        ['merchantId', { merchantId: 'has space' }, 'PAYMENT.INVALID_MERCHANT_ID'],
        ['amount', { amount: 0 }, 'PAYMENT.INVALID_AMOUNT'],
        ['amount', { amount: 10.5 }, 'MONEY.AMOUNT_NOT_INTEGER'],
        ['amount', { amount: -5 }, 'MONEY.AMOUNT_NEGATIVE'],
        ['amount', { amount: 2 ** 60 }, 'MONEY.AMOUNT_TOO_LARGE'],
        ['currency', { currency: 'eur' }, 'MONEY.INVALID_CURRENCY_FORMAT'],
        ['currency', { currency: 'ZZZ' }, 'MONEY.UNKNOWN_CURRENCY'],
        ['paymentMethod.type', { paymentMethod: { type: 'CHEQUE', token: 't' } }, 'PAYMENT.INVALID_PAYMENT_METHOD'],
        ['paymentMethod.token', { paymentMethod: { type: 'CARD', token: '' } }, 'PAYMENT.INVALID_PAYMENT_METHOD'],
        ['paymentMethod', { paymentMethod: null }, 'PAYMENT.INVALID_PAYMENT_METHOD'],
        ['paymentMethod.cvv', { paymentMethod: { type: 'CARD', token: 't', cvv: '123' } }, 'PAYMENT.UNKNOWN_FIELD'],
        ['customerId', { customerId: 'x'.repeat(65) }, 'PAYMENT.INVALID_CUSTOMER_ID'],
        ['description', { description: 'x'.repeat(501) }, 'PAYMENT.INVALID_DESCRIPTION'],
        ['description', { description: 'order\u0000 1' }, 'PAYMENT.INVALID_DESCRIPTION'],
        ['metadata.note', { metadata: { note: 'bell\u0007' } }, 'PAYMENT.INVALID_METADATA'],
        ['idempotencyKey', { idempotencyKey: 'has space' }, 'PAYMENT.INVALID_IDEMPOTENCY_KEY'],
        ['metadata', { metadata: 'country=DE' }, 'PAYMENT.INVALID_METADATA'],
        ['metadata.nested', { metadata: { nested: { a: 1 } } }, 'PAYMENT.INVALID_METADATA'],
        ['metadata.note', { metadata: { note: 'x'.repeat(501) } }, 'PAYMENT.INVALID_METADATA'],
        ['metadata', { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, 'PAYMENT.INVALID_METADATA'],
        ['metdata', { metdata: {} }, 'PAYMENT.UNKNOWN_FIELD'],
      ])('should reject %s with a typed error (%#)', (field, overrides, code) => {
        const error = thrown(() =>
          Payment.create({ ...aPaymentRequest(), ...(overrides as object) } as never, testPaymentDependencies()),
        );

        expect(error.code).toBe(code);
        expect((error as InvalidPaymentError).field).toBe(field);
        expect(error.message.length).toBeGreaterThan(10);
      });

      it('should reject a request that is not an object', () => {
        expect(thrown(() => Payment.create(null as never, testPaymentDependencies())).code).toBe('PAYMENT.INVALID_INPUT');
      });
    });
  });

  describe('lifecycle', () => {
    describe('when a payment is processed and approved', () => {
      it('should go PENDING → PROCESSING → PAID and record one event per state change', () => {
        const deps = testPaymentDependencies();
        const payment = Payment.create(aPaymentRequest(), deps);
        payment.pullEvents();

        payment.startProcessing();
        deps.clock.tick(250);
        payment.recordAttempt({ gateway: 'STRIPE', reference: 'ref-1', outcome: 'TECHNICAL_FAILURE', latencyMs: 250, errorCode: 'HTTP_503' });
        payment.recordAttempt({ gateway: 'ADYEN', reference: 'ref-2', outcome: 'APPROVED', latencyMs: 80, gatewayReference: 'psp_9' });
        payment.markSucceeded({ gateway: 'ADYEN', gatewayReference: 'psp_9' });

        expect(payment.status).toBe('PAID');
        expect(payment.gateway).toBe('ADYEN');
        expect(payment.attempts.map((attempt) => [attempt.attemptNumber, attempt.gateway, attempt.outcome])).toEqual([
          [1, 'STRIPE', 'TECHNICAL_FAILURE'],
          [2, 'ADYEN', 'APPROVED'],
        ]);
        expect(payment.attempts[0]?.at).toBe('2026-01-01T00:00:00.250Z');
        expect(payment.updatedAt.toISOString()).toBe('2026-01-01T00:00:00.250Z');
        expect(payment.pullEvents().map((event) => event.type)).toEqual(['PaymentProcessingStarted', 'PaymentSucceeded']);
        expect(payment.capturedAmount.amount).toBe(15000);
      });

      it('should leave the version alone: only the repository changes it', () => {
        const payment = aPaidPayment();

        expect(payment.version).toBe(0);
        expect(payment.withVersion(7).version).toBe(7);
      });
    });

    describe('when a payment fails, needs action, or is cancelled', () => {
      it('should record the failure and its event', () => {
        const payment = aPendingPayment();
        payment.startProcessing();
        payment.markFailed({ code: 'card_declined', reason: 'Do not honour', gateway: 'STRIPE' });

        expect(payment.status).toBe('FAILED');
        expect(payment.failureCode).toBe('card_declined');
        expect(payment.isTerminal).toBe(true);
        expect(payment.pullEvents().at(-1)).toMatchObject({ type: 'PaymentFailed', payload: { code: 'card_declined', gateway: 'STRIPE' } });
      });

      it('should go PROCESSING → REQUIRES_ACTION → PROCESSING', () => {
        const payment = aPendingPayment();
        payment.startProcessing();
        payment.requireAction('3-D Secure challenge');
        payment.startProcessing();

        expect(payment.status).toBe('PROCESSING');
        expect(payment.pullEvents().map((event) => event.type)).toEqual([
          'PaymentCreated',
          'PaymentProcessingStarted',
          'PaymentActionRequired',
          'PaymentProcessingStarted',
        ]);
      });

      it('should cancel a PENDING payment', () => {
        const payment = aPendingPayment();
        payment.cancel('customer left');

        expect(payment.status).toBe('CANCELLED');
        expect(payment.pullEvents().at(-1)?.type).toBe('PaymentCancelled');
      });
    });

    describe('when a change is not in the transition table', () => {
      it('should throw IllegalStateTransitionError and change nothing', () => {
        const payment = aPendingPayment();
        const before = payment.toSnapshot();

        const error = thrown(() => payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'x' }));

        expect(IllegalStateTransitionError.is(error)).toBe(true);
        expect(error.message).toMatch(/PENDING.*PAID/);
        expect(payment.toSnapshot()).toEqual(before);
      });

      it('should refuse to record an attempt outside PROCESSING', () => {
        const error = thrown(() => aPendingPayment().recordAttempt({ gateway: 'STRIPE', reference: 'r', outcome: 'APPROVED', latencyMs: 1 }));

        expect(error.code).toBe('PAYMENT.NOT_PROCESSING');
      });

      it('should refuse to cancel a PAID payment', () => {
        expect(thrown(() => aPaidPayment().cancel('too late')).code).toBe('PAYMENT.ILLEGAL_TRANSITION');
      });
    });
  });

  describe('.enrichMetadata', () => {
    describe('when the payment is PENDING', () => {
      it('should merge the entries into the metadata', () => {
        const payment = aPendingPayment();

        payment.enrichMetadata({ riskTier: 'low', region: 'EMEA' });

        expect(payment.metadata).toEqual({ country: 'DE', region: 'EMEA', riskTier: 'low' });
        expect(payment.peekEvents().map((event) => event.type)).toEqual(['PaymentCreated']);
      });

      it('should refuse a merge that breaks the limits or carries card data, changing nothing', () => {
        const payment = aPendingPayment();
        const tooMany = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, i]));

        expect(thrown(() => payment.enrichMetadata(tooMany)).code).toBe('PAYMENT.INVALID_METADATA');
        expect(thrown(() => payment.enrichMetadata({ note: PAN })).code).toBe('PAYMENT.CARD_DATA_DETECTED');
        expect(payment.metadata).toEqual({ country: 'DE', region: 'EU' });
      });
    });

    describe('when processing has started', () => {
      it('should refuse', () => {
        const payment = aPendingPayment();
        payment.startProcessing();

        expect(thrown(() => payment.enrichMetadata({ a: 1 })).code).toBe('PAYMENT.NOT_PENDING');
      });
    });
  });

  describe('.refund', () => {
    describe('when refunding in parts', () => {
      it('should go PAID → PARTIALLY_REFUNDED → REFUNDED and record each refund', () => {
        const payment = aPaidPayment();

        const first = payment.refund({ amount: 5000, idempotencyKey: 'r1' });
        expect(payment.status).toBe('PARTIALLY_REFUNDED');
        payment.refund({ amount: 4000 });
        expect(payment.status).toBe('PARTIALLY_REFUNDED');
        payment.refund();

        expect(payment.status).toBe('REFUNDED');
        expect(first).toMatchObject({ amount: 5000, idempotencyKey: 'r1' });
        expect(payment.refunds.map((refund) => refund.amount)).toEqual([5000, 4000, 6000]);
        expect(payment.refundedAmount.amount).toBe(15000);
        expect(payment.refundableAmount.amount).toBe(0);
        expect(payment.pullEvents().map((event) => [event.type, event.payload])).toEqual([
          ['RefundProcessed', expect.objectContaining({ amount: 5000, refundedTotal: 5000, fullyRefunded: false })],
          ['RefundProcessed', expect.objectContaining({ amount: 4000, refundedTotal: 9000, fullyRefunded: false })],
          ['RefundProcessed', expect.objectContaining({ amount: 6000, refundedTotal: 15000, fullyRefunded: true })],
        ]);
      });
    });

    describe('when the refund would exceed what was captured', () => {
      it('should throw RefundExceedsCapturedError and keep the payment unchanged', () => {
        const payment = aPaidPayment();
        payment.refund({ amount: 10000 });
        const before = payment.toSnapshot();

        const error = thrown(() => payment.refund({ amount: 5001 }));

        expect(RefundExceedsCapturedError.is(error)).toBe(true);
        expect(error.details).toMatchObject({ requested: 5001, refundable: 5000 });
        expect(payment.toSnapshot()).toEqual(before);
      });
    });

    describe('when the payment was never captured', () => {
      it('should refuse with an illegal transition', () => {
        expect(thrown(() => aPendingPayment().refund({ amount: 1 })).code).toBe('PAYMENT.ILLEGAL_TRANSITION');
      });
    });

    describe('when the payment is already fully refunded', () => {
      it('should say it cannot be refunded again, whatever the amount', () => {
        const payment = aPaidPayment();
        payment.refund();

        const error = thrown(() => payment.refund());

        expect(error.code).toBe('PAYMENT.ILLEGAL_TRANSITION');
        expect(error.message).toMatch(/REFUNDED/);
        expect(thrown(() => payment.refund({ amount: 1 })).code).toBe('PAYMENT.ILLEGAL_TRANSITION');
      });
    });

    describe('when the refund carries bad text', () => {
      it.each([
        [{ reason: 'x'.repeat(501) }, 'PAYMENT.INVALID_REFUND_REASON'],
        [{ reason: 'bell\u0007' }, 'PAYMENT.INVALID_REFUND_REASON'],
        [{ reason: `card ${PAN}` }, 'PAYMENT.CARD_DATA_DETECTED'],
        [{ idempotencyKey: 'has space' }, 'PAYMENT.INVALID_IDEMPOTENCY_KEY'],
      ])('should refuse %p with %s and change nothing', (request, code) => {
        const payment = aPaidPayment();

        expect(thrown(() => payment.refund({ amount: 100, ...request })).code).toBe(code);
        expect(payment.refunds).toEqual([]);
      });
    });

    describe('when the amount is zero or malformed', () => {
      it.each([
        [0, 'PAYMENT.INVALID_REFUND_AMOUNT'],
        [1.5, 'MONEY.AMOUNT_NOT_INTEGER'],
        [-1, 'MONEY.AMOUNT_NEGATIVE'],
      ])('should reject %p with %s', (amount, code) => {
        expect(thrown(() => aPaidPayment().refund({ amount })).code).toBe(code);
      });
    });

    it('should never let random sequences of refunds exceed the captured amount', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.array(fc.oneof(fc.integer({ min: -10, max: 1_200_000 }), fc.constant(undefined)), { maxLength: 30 }),
          (captured, requests) => {
            const payment = aPaidPayment({ amount: captured });
            for (const amount of requests) {
              const before = payment.refundedAmount.amount;
              try {
                payment.refund(amount === undefined ? {} : { amount });
              } catch (error) {
                if (!AegisPayError.is(error)) throw error;
                if (payment.refundedAmount.amount !== before) return false;
              }
              const refunded = payment.refundedAmount.amount;
              if (refunded > captured) return false;
              if ((payment.status === 'REFUNDED') !== (refunded === captured)) return false;
            }
            return payment.refunds.reduce((sum, refund) => sum + refund.amount, 0) <= captured;
          },
        ),
      );
    });
  });

  describe('.pullEvents', () => {
    it('should hand events over once', () => {
      const payment = aPendingPayment();

      expect(payment.pullEvents()).toHaveLength(1);
      expect(payment.pullEvents()).toEqual([]);
    });

    it('should give events that cannot be modified', () => {
      const [event] = aPendingPayment().pullEvents();

      expect(Object.isFrozen(event)).toBe(true);
      expect(Object.isFrozen(event?.payload)).toBe(true);
    });
  });

  describe('.toSnapshot / .rehydrate', () => {
    it('should give a deep-frozen copy that cannot change the payment', () => {
      const payment = aPaidPayment();
      const snapshot = payment.toSnapshot();

      expect(Object.isFrozen(snapshot)).toBe(true);
      expect(Object.isFrozen(snapshot.attempts[0])).toBe(true);
      expect(Object.isFrozen(snapshot.metadata)).toBe(true);
      expect(Object.isFrozen(snapshot.paymentMethod)).toBe(true);
      expect(() => {
        (snapshot as { amount: number }).amount = 1;
      }).toThrow(TypeError);
      expect(payment.amount).toBe(15000);
    });

    it('should round-trip through JSON to an equal payment, without events', () => {
      const payment = aPaidPayment();
      payment.refund({ amount: 100, reason: 'damaged' });
      payment.pullEvents();
      const stored = JSON.parse(JSON.stringify(payment.withVersion(3))) as ReturnType<Payment['toSnapshot']>;

      const back = Payment.rehydrate(stored, testPaymentDependencies());

      expect(back.toSnapshot()).toEqual(payment.withVersion(3).toSnapshot());
      expect(back.pullEvents()).toEqual([]);
    });

    it('should name the merchant in every event, including events of a payment rebuilt from storage', () => {
      const deps = testPaymentDependencies();
      const created = Payment.create(aPaymentRequest({ merchantId: 'merchant.eu:42' }), deps);
      const payment = Payment.rehydrate(created.toSnapshot(), deps);
      payment.startProcessing();
      payment.markFailed({ code: 'HTTP_503', reason: 'unavailable', gateway: 'STRIPE' });

      expect([...created.pullEvents(), ...payment.pullEvents()].map((event) => [event.type, event.payload.merchantId])).toEqual([
        ['PaymentCreated', 'merchant.eu:42'],
        ['PaymentProcessingStarted', 'merchant.eu:42'],
        ['PaymentFailed', 'merchant.eu:42'],
      ]);
    });

    it('should refuse corrupt stored data', () => {
      const snapshot = { ...aPendingPayment().toSnapshot(), status: 'SETTLED' } as never;

      expect(thrown(() => Payment.rehydrate(snapshot)).code).toBe('PAYMENT.CORRUPT_SNAPSHOT');
    });
  });
});
