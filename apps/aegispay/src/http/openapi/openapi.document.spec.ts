import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nestRoutes } from '../__fixtures__/nest-routes';
import { PROBLEM_TYPES } from '../problem-details';
import { ZodQueryPipe, ZodValidationPipe } from '../zod-validation.pipe';
import { apiDocumentation, API_DOCUMENT_VERSION } from './api-documentation';
import { API_OPERATIONS, COMMON_PROBLEMS } from './api-operations';
import { problemsByStatus, type OpenApiDocument } from './openapi.document';

const document: OpenApiDocument = apiDocumentation().document;
const key = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
const operationOf = (method: string, path: string) => API_OPERATIONS.find((operation) => operation.method === method && operation.path === path);

/** Every `$ref` in a JSON value. */
function refs(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, child]) => (name === '$ref' && typeof child === 'string' ? [child] : refs(child)));
}

describe('the OpenAPI document', () => {
  it('should be OpenAPI 3.1 with unique operation ids, every reference resolving to a component', () => {
    const ids = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));

    expect(document.openapi).toBe('3.1.0');
    expect(new Set(ids).size).toBe(ids.length);
    for (const target of refs(document)) {
      expect(document.components.schemas[target.replace('#/components/schemas/', '')]).toBeDefined();
    }
  });

  it('should carry the app’s version', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

    expect(API_DOCUMENT_VERSION).toBe(version);
    expect(document.info.version).toBe(version);
  });

  it('should describe exactly the routes Nest serves', () => {
    const served = nestRoutes().map((route) => key(route.method, route.path));
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => key(method, path)));

    expect([...served].sort()).toEqual([...documented].sort());
  });

  describe.each(nestRoutes().map((route) => [key(route.method, route.path), route] as const))('%s', (_name, route) => {
    const operation = operationOf(route.method, route.path);
    const documented = new Set(operation === undefined ? [] : [...problemsByStatus(operation).values()].flat());

    it('should list every problem of the guards, interceptors and pipes on the route', () => {
      const fromEnhancers = route.enhancers.flatMap((enhancer) => (enhancer as { problems?: readonly string[] }).problems ?? []);
      const fromPipes = route.pipes.flatMap((pipe) => [
        ...((pipe as { constructor: { problems?: readonly string[] } }).constructor.problems ?? []),
        ...(pipe instanceof ZodValidationPipe && 'problem' in pipe.options.whenEmpty ? [pipe.options.whenEmpty.problem().code] : []),
      ]);

      expect(operation).toBeDefined();
      expect(fromEnhancers).toEqual(operation?.auth === 'apiKey' ? expect.arrayContaining(['AUTH.MISSING_CREDENTIALS']) : expect.anything());
      expect([...new Set([...fromEnhancers, ...fromPipes])].filter((code) => !documented.has(code))).toEqual([]);
    });

    it('should describe its request with the very schemas its pipes validate with', () => {
      const bodies = route.pipes.filter((pipe) => pipe instanceof ZodValidationPipe).map((pipe) => pipe.schema);
      const queries = route.pipes.filter((pipe) => pipe instanceof ZodQueryPipe).map((pipe) => pipe.schema);

      expect(bodies).toEqual(operation?.body === undefined || route.path.startsWith('/v1/psp-webhooks') ? [] : [operation.body.schema]);
      for (const schema of bodies) expect(schema).toBe(operation?.body?.schema);
      expect(queries).toEqual(operation?.query === undefined ? [] : [operation.query]);
      for (const schema of queries) expect(schema).toBe(operation?.query);
    });
  });

  it('should give every problem type of the catalog a route, and its own status (the routes’ 404 aside)', () => {
    const listed = new Map<string, number>();
    for (const operation of API_OPERATIONS) for (const [status, codes] of problemsByStatus(operation)) for (const code of codes) listed.set(code, status);

    for (const [code, type] of Object.entries(PROBLEM_TYPES)) {
      if (code === 'HTTP.NOT_FOUND') continue;
      expect({ code, status: listed.get(code) }).toEqual({ code, status: type.status });
    }
    expect(COMMON_PROBLEMS.every((code) => PROBLEM_TYPES[code] !== undefined)).toBe(true);
  });

  it('should document the problems of each error status in x-problem-codes', () => {
    const response = document.paths['/v1/payments']?.['get']?.responses['400'];

    expect(response?.['x-problem-codes']).toEqual(expect.arrayContaining(['REQUEST.VALIDATION_FAILED', 'REQUEST.INVALID_CURSOR', 'PAYMENT.CARD_DATA_DETECTED']));
    expect(response?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
  });
});
