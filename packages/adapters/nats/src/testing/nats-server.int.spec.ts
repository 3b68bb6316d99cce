import { connect } from '@nats-io/transport-node';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithNats } from '../__fixtures__/nats-harness';
import { startNatsServer } from './nats-server';

async function answers(url: string): Promise<boolean> {
  try {
    const connection = await connect({ servers: url, timeout: 1_000, reconnect: false });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

describeWithNats(startNatsServer, () => {
  it('should run a server on a free port that can be killed and restarted on that port, and remove its store when disposed', async () => {
    const server = await startNatsServer();
    const { port, storeDir } = server;
    try {
      expect(port).toBeGreaterThan(0);
      expect(server.url).toBe(`nats://127.0.0.1:${port}`);
      expect(await answers(server.url)).toBe(true);

      await server.stop('SIGKILL');
      expect(server.isRunning).toBe(false);
      expect(await answers(server.url)).toBe(false);

      await server.restart();
      expect(server.port).toBe(port);
      expect(await answers(server.url)).toBe(true);
    } finally {
      await server.dispose();
    }
    expect(existsSync(storeDir)).toBe(false);
  });

  it('should say why when the binary does not exist, leaving no store directory behind', async () => {
    // A temporary directory of this test's own, so that no other suite's servers show up in it.
    const parent = mkdtempSync(join(tmpdir(), 'aegispay-nats-test-'));
    try {
      await expect(startNatsServer({ binary: '/nonexistent/nats-server', tempDir: parent })).rejects.toThrow(/nats-server exited|ENOENT/);

      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
