import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../commands';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md of the app', () => {
  describe('the command table', () => {
    it('should list every command of the executable', () => {
      for (const command of COMMANDS) expect(README).toMatch(new RegExp(`^\\| \`aegispay ${command.name}\\b`, 'm'));
    });
  });

  describe('the options', () => {
    it.each(['demo', 'serve', 'chaos', 'migrate'])('should document every option of %s', (name) => {
      const help = COMMANDS.find((command) => command.name === name)?.help ?? '';
      const options = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1] as string);

      expect(options.length).toBeGreaterThan(0);
      for (const option of options) expect(README).toContain(`\`${option}`);
    });
  });

  describe('the configuration table', () => {
    it('should document every environment variable the configuration reads', () => {
      const folder = join(__dirname, '..', 'config');
      const source = readdirSync(folder)
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
        .map((file) => readFileSync(join(folder, file), 'utf8'))
        .join('\n');
      const variables = new Set(source.match(/AEGISPAY_[A-Z_]+/g));

      expect(variables.size).toBeGreaterThan(10);
      for (const variable of variables) expect(README).toMatch(new RegExp(`^\\| \`${variable}\` \\|`, 'm'));
    });
  });

  describe('the example experiment', () => {
    it('should show the shipped file (its description aside)', () => {
      const shown = /```json\n([\s\S]*?)\n```/.exec(README)?.[1] ?? '';
      const { description: _description, ...file } = JSON.parse(readFileSync(join(ROOT, 'experiments', 'gateway-resilience.json'), 'utf8')) as Record<string, unknown>;

      expect(JSON.parse(shown)).toEqual(file);
    });
  });

  describe('the HTTP API section', () => {
    it('should keep its heading', () => {
      expect(README).toMatch(/^## HTTP API$/m);
    });
  });
});
