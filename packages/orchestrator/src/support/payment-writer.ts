import { PaymentNotFoundError, type Clock, type Payment, type PaymentEvent, type PaymentRepository, type UnitOfWork, type UpdateResult, type VersionedRepository } from '@aegispay/domain';
import type { HookExecutor } from '@aegispay/hooks';
import type { VersionedPaymentService } from '@aegispay/locking';
import { hookContextOf, type CallSession } from './call-session';

/** What {@link PaymentWriter} works with. */
export interface PaymentWriterDependencies {
  readonly repository: PaymentRepository;
  /** Versioned writes with conflict retry. */
  readonly payments: VersionedPaymentService<Payment>;
  /** When given, a write and what goes with it (an idempotency record) commit together. */
  readonly unitOfWork?: UnitOfWork;
  readonly hooks?: HookExecutor;
  readonly clock: Clock;
}

/**
 * Every write of a payment the use cases make: one durable commit each, with what must commit with
 * it (the idempotency record) inside the same transaction when a unit of work is configured, and
 * the events stored handed to event-listener hooks once they are durable, in order.
 */
export class PaymentWriter {
  constructor(private readonly deps: PaymentWriterDependencies) {}

  /** Runs `work` in one transaction when a unit of work is configured, else as it is. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.deps.unitOfWork === undefined ? work() : this.deps.unitOfWork.run(work);
  }

  /** True when writes and their companions commit together. */
  get atomic(): boolean {
    return this.deps.unitOfWork !== undefined;
  }

  /** Inserts a new payment; its events go to listener hooks after the commit (call {@link emit}). */
  insert(payment: Payment): Promise<Payment> {
    return this.deps.repository.insert(payment);
  }

  /**
   * A versioned update (read, `mutate`, compare-and-swap; retried on conflict), with `alongside`
   * written in the same transaction as the successful swap. Hands the stored events to listener
   * hooks after the commit.
   */
  async update(id: string, session: CallSession, mutate: (payment: Payment) => void, alongside?: (saved: Payment) => Promise<void>): Promise<Payment> {
    let events: readonly PaymentEvent[] = [];
    const record = (payment: Payment): void => {
      mutate(payment);
      events = payment.peekEvents();
    };
    const saved =
      alongside === undefined
        ? await this.deps.payments.update(id, record)
        : await this.deps.payments.lockManager.update(this.withAlongside(alongside), id, record, { notFound: (missing) => new PaymentNotFoundError(missing) });
    await this.emit(events, saved, session);
    return saved;
  }

  /** Hands stored events to event-listener hooks, in order. */
  async emit(events: readonly PaymentEvent[], payment: Payment, session: CallSession): Promise<void> {
    const hooks = this.deps.hooks;
    if (hooks === undefined || events.length === 0) return;
    const context = hookContextOf(payment, session, this.deps.clock);
    for (const event of events) await hooks.emitEvent(event, context);
  }

  /** The repository, with each successful swap joined by `alongside` in one transaction. */
  private withAlongside(alongside: (saved: Payment) => Promise<void>): VersionedRepository<Payment> {
    const repository = this.deps.repository;
    return {
      findById: (id) => repository.findById(id),
      insert: (payment) => repository.insert(payment),
      updateWithVersion: (id, entity, expectedVersion) =>
        this.transaction(async (): Promise<UpdateResult<Payment>> => {
          const result = await repository.updateWithVersion(id, entity, expectedVersion);
          if (result.success && result.entity !== null) await alongside(result.entity);
          return result;
        }),
    };
  }
}
