import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, type ApiHarness } from './__fixtures__/api-harness';
import { DEVELOPMENT_API_KEY, DEVELOPMENT_MERCHANT_ID } from './development-api-key';

interface CurlCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The shell variable the command's `payment.id` is assigned to, if any. */
  readonly assigns: string | undefined;
}

/** The shell commands of the README's HTTP walkthrough, continuation lines joined, comments dropped. */
function walkthrough(readme: string): string[] {
  const start = readme.indexOf('<!-- http-walkthrough: start -->');
  const end = readme.indexOf('<!-- http-walkthrough: end -->');
  if (start < 0 || end < start) throw new Error('README.md has no HTTP walkthrough between its markers');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start, end))?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Reads one `curl` line the way the shell would, for the few forms the walkthrough uses. */
function parseCurl(line: string, variables: Readonly<Record<string, string>>): CurlCall {
  const assignment = /^([A-Z_]+)=\$\((.*)\|\s*node -pe '[^']*payment\.id[^']*'\)$/.exec(line);
  const command = assignment === null ? line : (assignment[2] as string).trim();
  if (!command.startsWith('curl ')) throw new Error(`not a curl command: ${command}`);
  const expand = (text: string): string => text.replace(/\$([A-Z_]+)/g, (_match, name: string) => variables[name] ?? `$${name}`);
  const argument = (quoted: string): string => (quoted.startsWith('"') ? expand(quoted.slice(1, -1)) : quoted.slice(1, -1));
  const words = [...command.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((match) => match[0]);
  let method = 'GET';
  let url = '';
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index] as string;
    if (word === '-s') continue;
    if (word === '-X') method = words[(index += 1)] as string;
    else if (word === '-H') {
      const header = argument(words[(index += 1)] as string);
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (word === '-d') body = argument(words[(index += 1)] as string);
    else url = argument(word);
  }
  const path = url.replace(/^http:\/\/127\.0\.0\.1:3000/, '');
  return { method, path, headers, body, assigns: assignment?.[1] };
}

describe('README HTTP walkthrough', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi('sqlite', { apiKeys: { [DEVELOPMENT_API_KEY]: DEVELOPMENT_MERCHANT_ID } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('should run every curl line of the README against the API, with the development key', async () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const lines = walkthrough(readme);
    const exported = /^export (.*)$/.exec(lines[0] ?? '');
    const variables: Record<string, string> = Object.fromEntries(
      (exported?.[1] ?? '').split(' ').map((pair) => pair.split('=') as [string, string]),
    );
    const answered: string[] = [];

    for (const line of lines.slice(1)) {
      const call = parseCurl(line, variables);
      let test = api.http()[call.method.toLowerCase() as 'get' | 'post'](call.path);
      for (const [name, value] of Object.entries(call.headers)) test = test.set(name, value);
      const response = await (call.body === undefined ? test : test.send(call.body));
      answered.push(`${call.method} ${call.path} ${response.status}`);
      expect({ call: `${call.method} ${call.path}`, status: response.status < 300 }).toEqual({ call: `${call.method} ${call.path}`, status: true });
      if (call.assigns !== undefined) variables[call.assigns] = (response.body as { payment: { id: string } }).payment.id;
    }

    expect(variables['KEY']).toBe(DEVELOPMENT_API_KEY);
    expect(answered.map((entry) => entry.replace(/pay_[\w-]+/, ':id'))).toEqual([
      'POST /v1/payments 201',
      'POST /v1/payments 201',
      'GET /v1/payments/:id 200',
      'POST /v1/payments/:id/refunds 201',
      'GET /v1/payments/:id/refunds 200',
      'POST /v1/payments 201',
      'GET /v1/payments?limit=2 200',
      'GET /v1/payments?status=FAILED&createdFrom=2026-01-01T00:00:00Z 200',
      'GET /v1/gateways 200',
      'GET /healthz 200',
      'GET /readyz 200',
      'GET /metrics 200',
      'GET /openapi.json 200',
    ]);
  });

  it('should name the development key and merchant the server really accepts', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

    expect(readme).toContain(`\`${DEVELOPMENT_API_KEY}\`, for the merchant \`${DEVELOPMENT_MERCHANT_ID}\``);
  });
});
