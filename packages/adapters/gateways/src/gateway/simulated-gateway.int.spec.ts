import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SimulatedGateway } from './simulated-gateway';

const root = join(__dirname, '..', '..', '..', '..', '..');

describe(SimulatedGateway, () => {
  describe('.charge', () => {
    describe('when run on the system clock in a process with nothing else to do', () => {
      it('should keep the process alive until the answer arrives', () => {
        const output = execFileSync(
          join(root, 'node_modules', '.bin', 'tsx'),
          ['--conditions=@aegispay/source', join(__dirname, '..', '__fixtures__', 'charge-on-system-clock.ts')],
          { cwd: root, encoding: 'utf8', timeout: 30_000 },
        );
        expect(output.trim()).toBe('APPROVED');
      });
    });
  });
});
