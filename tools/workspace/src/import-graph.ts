import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** Who imports whom inside one project's `src`: files, and the top-level folders they sit in. */
export interface ImportGraph {
  /** File (relative to `src`) → the files it imports, type-only imports included. */
  readonly files: ReadonlyMap<string, ReadonlySet<string>>;
  /** Top-level folder of `src` (`.` for files directly in it) → the folders its files import from. */
  readonly folders: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The relative imports of the shipped sources under `src` (specs and `__fixtures__` left out: a
 * test may exercise the assembled product from anywhere). Type-only imports count: a loop of
 * types is still two folders that cannot be understood, or moved, one without the other.
 */
export function importGraph(src: string): ImportGraph {
  const files = new Map<string, Set<string>>();
  const folders = new Map<string, Set<string>>();
  const folderOf = (file: string): string => (file.includes(sep) ? (file.split(sep)[0] as string) : '.');
  for (const path of sourceFiles(src)) {
    const from = relative(src, path);
    const targets = files.get(from) ?? new Set<string>();
    files.set(from, targets);
    for (const imported of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const resolved = resolveRelative(path, imported.fileName);
      if (resolved === undefined) continue;
      const to = relative(src, resolved);
      targets.add(to);
      if (folderOf(from) !== folderOf(to)) folders.set(folderOf(from), (folders.get(folderOf(from)) ?? new Set()).add(folderOf(to)));
    }
  }
  return { files, folders };
}

/** Every loop of a graph (its strongly connected components of more than one node), each sorted. */
export function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === '__fixtures__' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}
