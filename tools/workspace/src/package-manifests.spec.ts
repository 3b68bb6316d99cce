import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './lint';

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly files?: readonly string[];
}

/** The folders of the workspace's packages and apps (the `workspaces` globs of the root manifest, tools left out). */
function packageFolders(): string[] {
  const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { workspaces: readonly string[] };
  return root.workspaces
    .filter((glob) => !glob.startsWith('tools/'))
    .flatMap((glob) => {
      const parent = glob.replace(/\/\*$/, '');
      return readdirSync(join(workspaceRoot, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(workspaceRoot, parent, entry.name, 'package.json')))
        .map((entry) => `${parent}/${entry.name}`);
    });
}

function manifestOf(folder: string): Manifest {
  return JSON.parse(readFileSync(join(workspaceRoot, folder, 'package.json'), 'utf8')) as Manifest;
}

const rootLicense = readFileSync(join(workspaceRoot, 'LICENSE'), 'utf8');
const folders = packageFolders();

describe('package manifests', () => {
  it('should find the packages and the app', () => {
    expect(folders).toEqual(expect.arrayContaining(['packages/domain', 'packages/adapters/typeorm', 'apps/aegispay']));
  });

  describe('the root LICENSE', () => {
    it('should be the MIT licence of the AegisPay contributors', () => {
      expect(rootLicense).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} AegisPay contributors\n/);
    });
  });

  describe.each(folders)('%s', (folder) => {
    it('should declare the MIT licence', () => {
      expect(manifestOf(folder).license).toBe('MIT');
    });

    it('should carry the root LICENSE file, unchanged', () => {
      const file = join(workspaceRoot, folder, 'LICENSE');

      expect(existsSync(file) ? readFileSync(file, 'utf8') : `no LICENSE in ${folder}`).toBe(rootLicense);
    });

    it('should publish its LICENSE when it is published', () => {
      const manifest = manifestOf(folder);
      // A manifest without `files` publishes the whole folder, LICENSE included.
      if (manifest.private === true || manifest.files === undefined) return;

      expect(manifest.files).toContain('LICENSE');
    });
  });
});
