import { fork, type ChildProcess } from 'node:child_process';

/** A child process running a TypeScript file through tsx, on the workspace sources, with an IPC channel. */
export interface TypeScriptChild {
  readonly process: ChildProcess;
  /** Resolves with the next IPC message matching `predicate` (already received ones included). */
  message<T>(predicate: (message: T) => boolean): Promise<T>;
  /** Resolves when the process has exited, with its code or signal and what it wrote to stderr. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Forks `script` (a path to a .ts file) with `args`; stdout is discarded, stderr kept for diagnostics. */
export function forkTypeScript(script: string, args: readonly string[]): TypeScriptChild {
  const child = fork(script, [...args], {
    execArgv: ['--conditions=@aegispay/source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const received: unknown[] = [];
  const waiters: { predicate: (message: unknown) => boolean; resolve: (message: unknown) => void }[] = [];
  child.on('message', (message) => {
    received.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    process: child,
    exited,
    message<T>(predicate: (message: T) => boolean): Promise<T> {
      const test = predicate as (message: unknown) => boolean;
      const already = received.find(test);
      if (already !== undefined) return Promise.resolve(already as T);
      return new Promise<T>((resolve, reject) => {
        waiters.push({ predicate: test, resolve: resolve as (message: unknown) => void });
        void exited.then(({ code, signal, stderr: text }) => reject(new Error(`child exited (${code ?? signal}) before the expected message:\n${text}`)));
      });
    },
  };
}
