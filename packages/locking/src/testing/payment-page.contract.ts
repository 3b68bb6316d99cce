/// <reference types="jest" />
import { DEFAULT_VIRTUAL_EPOCH, Payment, type IdGenerator, type PaymentFilter, type PaymentPageQuery, type PaymentStatus } from '@aegispay/domain';
import { aPaymentRequest, FakeClock } from '@aegispay/domain/testing';
import fc from 'fast-check';
import type { PersistenceFixture, PersistenceFixtureFactory } from './persistence-fixture';

const PROPERTY_RUNS = 15;
const T0 = DEFAULT_VIRTUAL_EPOCH;

/** What a payment of these tests is made of. */
interface Spec {
  readonly id: string;
  readonly merchantId: string;
  /** Milliseconds after {@link T0}. */
  readonly at: number;
  readonly customerId: string;
  /** `PAID` through this gateway, `FAILED` or still `PENDING`. */
  readonly outcome: 'STRIPE' | 'ADYEN' | 'FAILED' | 'PENDING';
}

/** Ids for the payment of a spec, counted ids for everything else (events), unique for the whole test. */
class SpecIds implements IdGenerator {
  private counter = 0;
  next: string | undefined;

  generate(prefix = 'id'): string {
    if (prefix === 'pay' && this.next !== undefined) {
      const id = this.next;
      this.next = undefined;
      return id;
    }
    this.counter += 1;
    return `${prefix}_${String(this.counter).padStart(8, '0')}`;
  }
}

function build(spec: Spec, ids: SpecIds): Payment {
  ids.next = spec.id;
  const payment = Payment.create(aPaymentRequest({ merchantId: spec.merchantId, customerId: spec.customerId }), { clock: new FakeClock(T0 + spec.at), ids });
  if (spec.outcome !== 'PENDING') {
    payment.startProcessing();
    if (spec.outcome === 'FAILED') payment.markFailed({ code: 'card_declined', reason: 'Declined.' });
    else payment.markSucceeded({ gateway: spec.outcome, gatewayReference: `ch_${spec.id}` });
  }
  return payment;
}

const statusOf = (spec: Spec): PaymentStatus => (spec.outcome === 'PENDING' ? 'PENDING' : spec.outcome === 'FAILED' ? 'FAILED' : 'PAID');

/** What a page query must answer, computed from the specs: filtered, newest first, ties by id descending. */
function expected(specs: readonly Spec[], merchantId: string, filter: PaymentFilter): string[] {
  return specs
    .filter(
      (spec) =>
        spec.merchantId === merchantId &&
        (filter.status === undefined || statusOf(spec) === filter.status) &&
        (filter.customerId === undefined || spec.customerId === filter.customerId) &&
        (filter.gateway === undefined || spec.outcome === filter.gateway) &&
        (filter.createdFrom === undefined || T0 + spec.at >= filter.createdFrom) &&
        (filter.createdBefore === undefined || T0 + spec.at < filter.createdBefore),
    )
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
    .map((spec) => spec.id);
}

/** Every page of a query, following `next` to the end; the ids in the order the pages gave them. */
async function allPages(fixture: PersistenceFixture, query: PaymentPageQuery): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after = query.after;
  for (let pages = 1; pages < 1_000; pages += 1) {
    const page = await fixture.repository.findPage({ ...query, ...(after === undefined ? {} : { after }) });
    ids.push(...page.payments.map((payment) => payment.id));
    if (page.payments.length > (query.limit ?? 20)) throw new Error('a page longer than its limit');
    if (page.next === null) return { ids, pages };
    after = page.next;
  }
  throw new Error('paging never ended');
}

/**
 * The contract of `PaymentRepository.findPage`: a merchant's payments only, newest first with ties
 * broken by id, each filter applied, every payment on exactly one page, later pages unmoved by new
 * payments, and malformed queries refused in the same words by every repository.
 */
export function paymentPageContract(name: string, createFixture: PersistenceFixtureFactory): void {
  describe(`PaymentRepository.findPage contract: ${name}`, () => {
    let fixture: PersistenceFixture;
    let ids: SpecIds;

    beforeEach(async () => {
      fixture = await createFixture();
      ids = new SpecIds();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    const insertAll = async (specs: readonly Spec[]): Promise<void> => {
      for (const spec of specs) await fixture.repository.insert(build(spec, ids));
    };

    describe('when a merchant has payments over several pages', () => {
      const specs: Spec[] = [
        { id: 'pay_a', merchantId: 'merchant_1', at: 1_000, customerId: 'cus_1', outcome: 'STRIPE' },
        { id: 'pay_c', merchantId: 'merchant_1', at: 2_000, customerId: 'cus_2', outcome: 'FAILED' },
        { id: 'pay_b', merchantId: 'merchant_1', at: 2_000, customerId: 'cus_1', outcome: 'ADYEN' },
        { id: 'pay_d', merchantId: 'merchant_1', at: 3_000, customerId: 'cus_1', outcome: 'PENDING' },
        { id: 'pay_e', merchantId: 'merchant_1', at: 4_000, customerId: 'cus_2', outcome: 'STRIPE' },
        { id: 'pay_x', merchantId: 'merchant_2', at: 2_500, customerId: 'cus_1', outcome: 'STRIPE' },
      ];

      it('should give them newest first, ties by id descending, each once, and none of another merchant', async () => {
        await insertAll(specs);

        const first = await fixture.repository.findPage({ merchantId: 'merchant_1', limit: 2 });
        const all = await allPages(fixture, { merchantId: 'merchant_1', limit: 2 });

        expect(first.payments.map((p) => p.id)).toEqual(['pay_e', 'pay_d']);
        expect(first.next).toEqual({ createdAt: T0 + 3_000, id: 'pay_d' });
        expect(all).toEqual({ ids: ['pay_e', 'pay_d', 'pay_c', 'pay_b', 'pay_a'], pages: 3 });
      });

      it('should return whole payments, as findById reads them', async () => {
        await insertAll(specs);

        const page = await fixture.repository.findPage({ merchantId: 'merchant_2' });

        expect(page.payments.map((p) => p.toSnapshot())).toEqual([(await fixture.repository.findById('pay_x'))?.toSnapshot()]);
        expect(page.next).toBeNull();
      });

      it.each<[string, PaymentFilter, string[]]>([
        ['status', { status: 'PAID' }, ['pay_e', 'pay_b', 'pay_a']],
        ['customer', { customerId: 'cus_1' }, ['pay_d', 'pay_b', 'pay_a']],
        ['gateway', { gateway: 'STRIPE' }, ['pay_e', 'pay_a']],
        ['created range (from inclusive, before exclusive)', { createdFrom: T0 + 2_000, createdBefore: T0 + 4_000 }, ['pay_d', 'pay_c', 'pay_b']],
        ['several filters at once', { status: 'PAID', customerId: 'cus_1', createdFrom: T0 + 1_500 }, ['pay_b']],
        ['a filter nothing matches', { gateway: 'PAYPAL' }, []],
      ])('should filter by %s', async (_name, filter, ids) => {
        await insertAll(specs);

        expect(await allPages(fixture, { merchantId: 'merchant_1', filter, limit: 2 })).toEqual({ ids, pages: Math.max(1, Math.ceil(ids.length / 2)) });
      });

      it('should answer the last page with next null when it is exactly full', async () => {
        await insertAll(specs);

        const page = await fixture.repository.findPage({ merchantId: 'merchant_1', limit: 5 });

        expect(page.payments).toHaveLength(5);
        expect(page.next).toBeNull();
      });

      it('should not move later pages when payments are created between two pages', async () => {
        await insertAll(specs);
        const first = await fixture.repository.findPage({ merchantId: 'merchant_1', limit: 2 });

        await insertAll([{ id: 'pay_new', merchantId: 'merchant_1', at: 9_000, customerId: 'cus_1', outcome: 'STRIPE' }]);
        const rest = await allPages(fixture, { merchantId: 'merchant_1', limit: 2, ...(first.next === null ? {} : { after: first.next }) });

        expect(rest.ids).toEqual(['pay_c', 'pay_b', 'pay_a']);
      });
    });

    describe('when the merchant has no payment', () => {
      it('should answer an empty last page', async () => {
        expect(await fixture.repository.findPage({ merchantId: 'merchant_9' })).toEqual({ payments: [], next: null });
      });
    });

    it('should page any set of payments and filters exactly as sorted and filtered by hand (property)', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc.record({
              suffix: fc.stringMatching(/^[0-9a-f]{1,6}$/),
              merchant: fc.constantFrom('m1', 'm2'),
              at: fc.integer({ min: 0, max: 5 }).map((n) => n * 1_000),
              customerId: fc.constantFrom('cus_1', 'cus_2'),
              outcome: fc.constantFrom<Spec['outcome']>('STRIPE', 'ADYEN', 'FAILED', 'PENDING'),
            }),
            { maxLength: 14, selector: (spec) => spec.suffix },
          ),
          fc.record(
            {
              status: fc.constantFrom<PaymentStatus>('PAID', 'FAILED', 'PENDING'),
              customerId: fc.constantFrom('cus_1', 'cus_2'),
              gateway: fc.constantFrom('STRIPE', 'ADYEN'),
              createdFrom: fc.integer({ min: 0, max: 5 }).map((n) => T0 + n * 1_000),
              createdBefore: fc.integer({ min: 0, max: 6 }).map((n) => T0 + n * 1_000),
            },
            { requiredKeys: [] },
          ),
          fc.integer({ min: 1, max: 4 }),
          async (drawn, filter, limit) => {
            run += 1;
            // Each run has merchants and ids of its own: the database is not emptied between runs.
            const specs: Spec[] = drawn.map((spec) => ({ ...spec, id: `pay_${run}_${spec.suffix}`, merchantId: `${spec.merchant}_${run}` }));
            await insertAll(specs);
            const merchantId = `m1_${run}`;

            const { ids: paged } = await allPages(fixture, { merchantId, filter, limit });

            expect(paged).toEqual(expected(specs, merchantId, filter));
          },
        ),
        { numRuns: PROPERTY_RUNS, seed: 16 },
      );
    });

    describe('when the query is malformed', () => {
      it.each<[string, Partial<PaymentPageQuery>, string]>([
        ['a limit of 0', { limit: 0 }, 'limit'],
        ['a limit above 100', { limit: 101 }, 'limit'],
        ['a fractional limit', { limit: 2.5 }, 'limit'],
        ['an empty merchant', { merchantId: '' }, 'merchantId'],
        ['an unknown status', { filter: { status: 'LOST' as PaymentStatus } }, 'filter.status'],
        ['a fractional instant', { filter: { createdFrom: 1.5 } }, 'filter.createdFrom'],
        ['a cursor instant that is not a number', { after: { createdAt: Number.NaN, id: 'pay_1' } }, 'after.createdAt'],
        ['a cursor without an id', { after: { createdAt: T0, id: '' } }, 'after.id'],
      ])('should refuse %s with a ValidationError naming %s', async (_name, query, field) => {
        await expect(fixture.repository.findPage({ merchantId: 'merchant_1', ...query })).rejects.toMatchObject({ code: 'REPOSITORY.INVALID_QUERY', field });
      });
    });
  });
}
