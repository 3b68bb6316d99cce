import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { PROBLEM_TYPES } from '../problem-details';
import { API_OPERATIONS, COMMON_PROBLEMS, type ApiOperation, type SuccessResponse } from './api-operations';
import { attemptSchema, jsonValueSchema, nextActionSchema, paymentSchema, problemSchema, refundSchema } from './response.schemas';

/** A JSON Schema or OpenAPI object, as generated. */
export type JsonObject = { [key: string]: unknown };

/** The parts of an OpenAPI 3.1 document this API writes. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly jsonSchemaDialect: string;
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonObject>>; readonly securitySchemes: Readonly<Record<string, JsonObject>> };
}

/** One operation of {@link OpenApiDocument}. */
export interface OpenApiOperation {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description: string;
  readonly security: readonly Readonly<Record<string, readonly string[]>>[];
  readonly parameters: readonly OpenApiParameter[];
  readonly requestBody?: JsonObject;
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
}

/** A parameter of an {@link OpenApiOperation}. */
export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description: string;
  readonly schema: JsonObject;
  readonly example?: unknown;
}

/** A response of an {@link OpenApiOperation}; `x-problem-codes` lists the problem codes of an error status. */
export interface OpenApiResponse {
  readonly description: string;
  readonly headers?: Readonly<Record<string, JsonObject>>;
  readonly content?: Readonly<Record<string, { readonly schema: JsonObject; readonly examples?: JsonObject }>>;
  readonly 'x-problem-codes'?: readonly string[];
}

const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

/** The problem codes an operation answers with, common ones included, by status; and the domain's 422. */
export function problemsByStatus(operation: ApiOperation): Map<number, string[]> {
  const codes = [...new Set([...operation.problems, ...COMMON_PROBLEMS.filter((code) => !(operation.answersWhileDraining === true && code === 'SERVER.SHUTTING_DOWN'))])];
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const type = PROBLEM_TYPES[code];
    if (type === undefined) throw new Error(`${operation.operationId} names the problem code ${code}, which PROBLEM_TYPES does not know.`);
    byStatus.set(type.status, [...(byStatus.get(type.status) ?? []), code]);
  }
  if (operation.domainValidation === true) byStatus.set(422, [...(byStatus.get(422) ?? []), 'PAYMENT.*', 'MONEY.*']);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/**
 * The OpenAPI 3.1 document of the API, generated from {@link API_OPERATIONS}: the request schemas
 * are the zod schemas the server validates with, converted by `z.toJSONSchema` (as input: what a
 * client sends), and the answers are the zod schemas of `response.schemas.ts` (as output).
 */
export function buildOpenApiDocument(version: string): OpenApiDocument {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  const names = new Map<z.ZodType, string>();
  const name = (registry: typeof requests, schema: z.ZodType, id: string): string => {
    if (!names.has(schema)) {
      registry.add(schema, { id });
      names.set(schema, id);
    }
    return names.get(schema) as string;
  };
  // Named wherever they appear.
  for (const [schema, id] of [
    [problemSchema, 'Problem'],
    [paymentSchema, 'Payment'],
    [refundSchema, 'Refund'],
    [attemptSchema, 'Attempt'],
    [nextActionSchema, 'NextAction'],
    [jsonValueSchema, 'JsonValue'],
  ] as const) {
    name(responses, schema, id);
  }
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const operation of API_OPERATIONS) {
    const requestBody =
      operation.body === undefined
        ? undefined
        : {
            required: operation.body.required,
            description: operation.body.description,
            content: {
              'application/json': {
                schema: ref(name(requests, operation.body.schema, `${capitalised(operation.operationId)}Request`)),
                ...(operation.body.examples === undefined ? {} : { examples: { ...operation.body.examples } }),
              },
            },
          };
    const success: Record<string, OpenApiResponse> = {};
    for (const [status, response] of Object.entries(operation.success)) success[status] = successResponse(response, (schema) => name(responses, schema, `${capitalised(operation.operationId)}Response`));
    const errors: Record<string, OpenApiResponse> = {};
    for (const [status, codes] of problemsByStatus(operation)) {
      errors[String(status)] = {
        description: `${STATUS_CODES[status] ?? 'Error'}: ${codes.map((code) => `\`${code}\``).join(', ')}.`,
        content: { 'application/problem+json': { schema: ref('Problem') } },
        'x-problem-codes': codes,
      };
    }
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      description: operation.description,
      security: operation.auth === 'apiKey' ? [{ apiKey: [] }] : [],
      parameters: parametersOf(operation),
      ...(requestBody === undefined ? {} : { requestBody }),
      responses: { ...success, ...errors },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'AegisPay API',
      version,
      description:
        'Payments through several gateways, with routing, circuit breakers, idempotency and recovery. Amounts are integer minor units. Every error is `application/problem+json` (RFC 9457) with a stable `code`; `x-problem-codes` lists the codes of each error status. A path that is none of these answers `404` `HTTP.NOT_FOUND`.',
    },
    jsonSchemaDialect: SCHEMA_DIALECT,
    tags: [
      { name: 'Payments', description: 'Take, list and read payments.' },
      { name: 'Refunds', description: 'Refund captured payments.' },
      { name: 'Gateways', description: 'The gateways payments are routed to.' },
      { name: 'PSP webhooks', description: 'What payment service providers tell by webhook.' },
      { name: 'Operations', description: 'Probes and metrics, without an API key.' },
      { name: 'Documentation', description: 'This document.' },
    ],
    paths,
    components: {
      schemas: { ...componentsOf(requests, 'input'), ...componentsOf(responses, 'output') },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <api key>`; the key maps to one merchant, the merchant of every operation.' },
      },
    },
  };
}

function parametersOf(operation: ApiOperation): OpenApiParameter[] {
  const parameters: OpenApiParameter[] = Object.entries(operation.pathParameters ?? {}).map(([parameter, description]) => ({
    name: parameter,
    in: 'path',
    required: true,
    description,
    schema: { type: 'string' },
  }));
  const required = new Set(operation.query === undefined ? [] : ((jsonSchema(operation.query, 'input')['required'] as string[] | undefined) ?? []));
  for (const [parameter, schema] of Object.entries(operation.query?.shape ?? {})) {
    const json = jsonSchema(schema as z.ZodType, 'input');
    const { description, examples, ...rest } = json as { description?: string; examples?: unknown[] };
    parameters.push({
      name: parameter,
      in: 'query',
      required: required.has(parameter),
      description: description ?? '',
      schema: rest,
      ...(examples?.[0] === undefined ? {} : { example: examples[0] }),
    });
  }
  if (operation.idempotencyKey === true) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description: 'A unique value per operation (a UUID), sent again unchanged when retrying: 1–255 printable ASCII characters without spaces.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      example: 'order-1001',
    });
  }
  return parameters;
}

function successResponse(response: SuccessResponse, nameOf: (schema: z.ZodType) => string): OpenApiResponse {
  const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([header, description]) => [header, { description, schema: { type: 'string' } }]));
  const content =
    'mediaType' in response.body ? { [response.body.mediaType]: { schema: { type: 'string' } } } : { 'application/json': { schema: ref(nameOf(response.body as z.ZodType)) } };
  return { description: response.description, ...(Object.keys(headers).length === 0 ? {} : { headers }), content };
}

function componentsOf(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonObject> {
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'throw' });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutRoot(schema as JsonObject)]));
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  return withoutRoot(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' }) as JsonObject);
}

function withoutRoot(schema: JsonObject): JsonObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
