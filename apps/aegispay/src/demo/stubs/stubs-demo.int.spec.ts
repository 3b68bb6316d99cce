import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIo } from '../../cli/__fixtures__/buffer-io';
import { demoCommand } from '../demo.command';

/** Whether a process with this id is still alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('aegispay demo --through-stubs', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-stubs-demo-spec-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('should start both stubs as processes, pay through them and the simulated acquirers, find the ledgers agreeing with the database, and stop them', async () => {
    const io = bufferIo({ AEGISPAY_DATABASE_URL: `sqlite:${join(directory, 'aegispay.sqlite')}`, AEGISPAY_LOG_LEVEL: 'warn' });

    const code = await demoCommand.run(['--through-stubs', '--payments', '60', '--concurrency', '6', '--seed', '3'], io);

    const out = io.out();
    expect({ code, err: io.err() }).toEqual({ code: 0, err: '' });
    expect(out).toContain('Sending 60 payments across STRIPE_PSP, ADYEN_PSP, PAYPAL, SQUARE (seed 3, up to 6 in flight)…');
    expect(out).toContain('Ledgers against the database: all hold');
    expect(out).toMatch(/✔ every payment stored: 60 payments found by their idempotency key/);
    for (const gateway of ['STRIPE_PSP', 'ADYEN_PSP']) {
      const captured = Number(new RegExp(`^ +${gateway} +\\d+ +(\\d+) `, 'm').exec(out)?.[1] ?? 0);
      expect({ gateway, captured: captured > 0 }).toEqual({ gateway, captured: true });
    }
    const stubs = /Stripe stub (http:\/\/[\d.:]+) \(pid (\d+)\), Adyen stub (http:\/\/[\d.:]+) \(pid (\d+)\)/.exec(out);
    const ledgers = /ledgers in (.+)\)…/.exec(out)?.[1];
    expect(stubs).not.toBeNull();
    expect([alive(Number(stubs?.[2])), alive(Number(stubs?.[4]))]).toEqual([false, false]);
    expect(ledgers !== undefined && existsSync(ledgers)).toBe(false);
  });
});
