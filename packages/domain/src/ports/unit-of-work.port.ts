/**
 * Runs work in one transaction: every repository and store call made inside `work` commits
 * together, or none does when `work` rejects.
 */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}
