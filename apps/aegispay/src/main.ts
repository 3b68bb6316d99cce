#!/usr/bin/env node
import { COMMANDS } from './commands';
import { runCli } from './cli/cli-dispatcher';

// The exit code is set, not forced: the process ends once the command has closed everything it
// opened (a handle left open would show up as a process that does not end, not be hidden).
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, COMMANDS).then((code) => {
  process.exitCode = code;
});
