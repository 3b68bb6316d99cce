import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIo } from '../cli/__fixtures__/buffer-io';
import { demoCommand } from './demo.command';

describe('demoCommand', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-demo-command-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  describe('.run', () => {
    describe('when stdout is not a terminal', () => {
      it('should print the stages, a progress line per tenth, the report and the HTML path, and exit 0', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory', AEGISPAY_SEED: '9' });

        const code = await demoCommand.run(['--payments', '100', '--rate', '20', '--report', directory], io);

        expect(io.err()).toBe('');
        expect(code).toBe(0);
        const out = io.out();
        expect(out).toContain('Composing the app on in-memory persistence…');
        expect(out).toContain('Sending 100 payments across STRIPE, PAYPAL, SQUARE, ADYEN (seed 9, 20/s of virtual time, up to 32 in flight)…');
        expect(out.match(/^ +\d+\/100 payments · t\+[\d.ms]+ virtual · paid [\d.]+% · /gm)?.length).toBeGreaterThanOrEqual(10);
        expect(out).toContain('Replaying the same 100 payments through');
        expect(out).toContain('Invariants: all hold');
        const html = /HTML report: (.+\.html)\n$/.exec(out)?.[1];
        expect(html !== undefined && existsSync(html)).toBe(true);
      });
    });

    describe('when stdout is a terminal', () => {
      it('should draw a progress bar', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory' }, true);

        const code = await demoCommand.run(['--payments', '50', '--report', directory], io);

        expect(code).toBe(0);
        expect(io.out()).toMatch(/█+ 100% │ 50\/50 payments │ t\+[\d.ms]+ virtual │ paid [\d.]+% │ steady/);
      });
    });

    describe('when the configuration names connectors to real PSPs', () => {
      it('should run on the simulated acquirers named, leaving the connectors to --through-stubs', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory', AEGISPAY_GATEWAYS: 'STRIPE_PSP,PAYPAL,SQUARE', AEGISPAY_STRIPE_SECRET_KEY: 'sk_test_demo_command_0001' });

        const code = await demoCommand.run(['--payments', '40', '--report', directory], io);

        expect(code).toBe(0);
        expect(io.out()).toContain('Sending 40 payments across PAYPAL, SQUARE (seed 42, 10/s of virtual time, up to 32 in flight)…');
      });
    });

    describe('when an option is out of range', () => {
      it.each([
        [['--payments', '0'], '--payments must be a whole number from 1 to 1000000, got "0".'],
        [['--rate', 'fast'], '--rate must be a number from 0.1 to 100000, got "fast".'],
        [['--seed', '-1'], '--seed must be a whole number from 0 to 2147483647, got "-1".'],
        [['--through-stubs', '--rate', '5'], '--rate do not apply to --through-stubs (real time, a text report).'],
      ])('should refuse %j before doing anything', async (args, message) => {
        await expect(demoCommand.run(args, bufferIo())).rejects.toThrow(message);
      });
    });
  });
});
