import { Client } from 'pg';

const url = process.env['AEGISPAY_TEST_PG_URL'];
if (url === undefined || url === '') {
  process.stderr.write('PostgreSQL plumbing test skipped: AEGISPAY_TEST_PG_URL is not set (.ci/run sets it).\n');
}
const describeWithPostgres = url ? describe : describe.skip;

describeWithPostgres('PostgreSQL test plumbing', () => {
  it('should connect to AEGISPAY_TEST_PG_URL and run a query', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query<{ two: number; version: string }>('SELECT 1 + 1 AS two, version() AS version');

      expect(result.rows[0]?.two).toBe(2);
      expect(result.rows[0]?.version).toMatch(/PostgreSQL/);
    } finally {
      await client.end();
    }
  });
});
