import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace root (two levels above this project). */
export const workspaceRoot = join(__dirname, '..', '..', '..');

/** One ESLint message, as the JSON formatter prints it. */
export interface LintMessage {
  readonly ruleId: string | null;
  readonly severity: number;
  readonly message: string;
}

/**
 * Makes sure Nx's project graph is cached, so that `@nx/enforce-module-boundaries` has something
 * to check against (without a cached graph the rule skips itself with a warning).
 */
export function ensureProjectGraph(): void {
  execFileSync(
    process.execPath,
    ['-e', "require('@nx/devkit').createProjectGraphAsync({ exitOnError: true }).then(() => process.exit(0))"],
    { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'pipe' },
  );
}

/**
 * Lints `fixture` (a file of `src/__fixtures__`) with the workspace's real ESLint configuration,
 * as though it were the file `asPath` (relative to the workspace root), and returns the messages.
 * Runs the ESLint CLI in a child process: the same code path as `nx lint`.
 */
export function lintFixtureAs(fixture: string, asPath: string): readonly LintMessage[] {
  const source = readFileSync(join(__dirname, '__fixtures__', fixture), 'utf8');
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [join(workspaceRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', asPath, '--format', 'json'],
      { cwd: workspaceRoot, input: source, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
    );
  } catch (error) {
    // ESLint exits with 1 when it reports errors; its JSON report is still on stdout.
    output = (error as { stdout?: string }).stdout ?? '';
    if (output === '') throw error;
  }
  const results = JSON.parse(output) as { messages: LintMessage[] }[];
  return results.flatMap((result) => result.messages);
}
