import { resolve } from 'node:path';
import { ContainerModule } from 'inversify';
import { ConfigurationError } from '../config/app-config';

/**
 * What a bindings module exports — as its default export, or as `bindings` — for
 * `aegispay serve --bindings <module>` (or `AEGISPAY_BINDINGS`): one `ContainerModule`, or a
 * list of them, loaded after the app's own modules, so each may rebind any token of `TOKENS` or
 * `HTTP_TOKENS`.
 */
export type AegisPayBindings = ContainerModule | readonly ContainerModule[];

/**
 * Loads bindings modules by path (relative to `cwd`) or package name, in order.
 *
 * @param cwd Where relative paths start. Defaults to `process.cwd()`.
 * @throws ConfigurationError naming every module that cannot be loaded or exports no `ContainerModule`.
 */
export function loadBindings(specifiers: readonly string[], cwd: string = process.cwd()): ContainerModule[] {
  const problems: string[] = [];
  const modules: ContainerModule[] = [];
  for (const specifier of specifiers) {
    let exported: unknown;
    try {
      const path = require.resolve(specifier.startsWith('.') ? resolve(cwd, specifier) : specifier, { paths: [cwd] });
      // A module named at run time: CommonJS, or ESM without top-level await.
      exported = require(path);
    } catch (error) {
      problems.push(`AEGISPAY_BINDINGS / --bindings: "${specifier}" cannot be loaded (${firstLine(error)})`);
      continue;
    }
    const found = bindingsOf(exported);
    if (found === undefined) {
      problems.push(`AEGISPAY_BINDINGS / --bindings: "${specifier}" must export a ContainerModule, or a list of them, as its default export or as "bindings"`);
    } else {
      modules.push(...found);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return modules;
}

function bindingsOf(exported: unknown): readonly ContainerModule[] | undefined {
  const candidates = isRecord(exported) ? [exported['default'], exported['bindings'], exported] : [exported];
  for (const candidate of candidates) {
    const list: readonly unknown[] = Array.isArray(candidate) ? candidate : [candidate];
    if (list.length > 0 && list.every(isContainerModule)) return list;
  }
  return undefined;
}

/** A `ContainerModule`, also from another copy of inversify (its `id` and `load`). */
function isContainerModule(value: unknown): value is ContainerModule {
  return value instanceof ContainerModule || (isRecord(value) && typeof value['id'] === 'number' && typeof value['load'] === 'function');
}

/** The first line of an error's message (also of an error from another realm, such as a test runner's). */
function firstLine(error: unknown): string {
  const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : String(error);
  return message.split('\n')[0] ?? message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
