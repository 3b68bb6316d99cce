import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The transaction an in-memory store is written in, found through async context so that stores
 * and the unit of work need no wiring. Stores record how to undo each write and what to make
 * visible on commit; outside a unit of work every write commits at once.
 */
export class InMemoryTransaction {
  private readonly undo: (() => void)[] = [];
  private readonly commitHooks: (() => void)[] = [];

  /** Registers how to revert one write if the transaction rolls back. */
  onRollback(revert: () => void): void {
    this.undo.push(revert);
  }

  /** Registers what to do once the transaction commits. */
  onCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  /** @internal */
  commit(): void {
    for (const hook of this.commitHooks) hook();
  }

  /** @internal Reverts the writes, newest first. */
  rollback(): void {
    for (let index = this.undo.length - 1; index >= 0; index -= 1) this.undo[index]?.();
  }
}

const storage = new AsyncLocalStorage<InMemoryTransaction>();

/** The in-memory transaction of the calling async context, if any. */
export function currentInMemoryTransaction(): InMemoryTransaction | undefined {
  return storage.getStore();
}

/** Runs `work` inside `transaction` (every in-memory store write it makes is recorded there). */
export function runInMemoryTransaction<T>(transaction: InMemoryTransaction, work: () => Promise<T>): Promise<T> {
  return storage.run(transaction, work);
}

/** Records `revert` in the current transaction; outside one the write is final and nothing is kept. */
export function recordUndo(revert: () => void): void {
  storage.getStore()?.onRollback(revert);
}

/** Runs `hook` when the current transaction commits, or now when there is none. */
export function afterCommit(hook: () => void): void {
  const transaction = storage.getStore();
  if (transaction === undefined) hook();
  else transaction.onCommit(hook);
}
