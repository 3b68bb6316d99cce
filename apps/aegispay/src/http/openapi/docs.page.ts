import type { JsonObject, OpenApiDocument, OpenApiOperation, OpenApiParameter, OpenApiResponse } from './openapi.document';

/** The `Content-Security-Policy` of the page: its own inline style, nothing else from anywhere. */
export const DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d2330}
h1{margin-bottom:0}h2{border-bottom:2px solid #dde;padding-bottom:.2rem;margin-top:2.5rem}
section.op{border:1px solid #dde;border-radius:6px;padding:.2rem 1rem 1rem;margin:1.2rem 0}
.method{font:bold 13px monospace;padding:.15rem .5rem;border-radius:4px;color:#fff;background:#2a6}
.method.post{background:#26a}code,pre{font:13px/1.4 ui-monospace,monospace;background:#f4f5f8;border-radius:4px}
code{padding:0 .25rem}pre{padding:.6rem;overflow:auto}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eef;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f8f8fb}
.muted{color:#667}nav ul{columns:2}`;

/**
 * The documentation page: the OpenAPI document rendered as one HTML page — every operation with
 * its parameters, request body and examples, and every answer with its problem codes, then every
 * schema. No script and nothing loaded from elsewhere (the page works offline); all text escaped.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
  const sections = document.tags
    .map((tag) => {
      const ofTag = operations.filter(({ operation }) => operation.tags.includes(tag.name));
      if (ofTag.length === 0) return '';
      return `<h2 id="${anchor(tag.name)}">${text(tag.name)}</h2><p>${prose(tag.description)}</p>${ofTag.map(({ path, method, operation }) => operationHtml(path, method, operation)).join('')}`;
    })
    .join('');
  const schemas = Object.entries(document.components.schemas)
    .map(([name, schema]) => `<details id="schema-${anchor(name)}"><summary><code>${text(name)}</code></summary><pre>${text(JSON.stringify(schema, null, 2))}</pre></details>`)
    .join('');
  const contents = operations.map(({ path, method, operation }) => `<li><a href="#${anchor(operation.operationId)}">${text(method.toUpperCase())} ${text(path)}</a> — ${text(operation.summary)}</li>`).join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${text(document.info.title)} ${text(document.info.version)}</title><style>${STYLE}</style></head><body>` +
    `<h1>${text(document.info.title)}</h1><p class="muted">Version ${text(document.info.version)} · OpenAPI ${text(document.openapi)} · <a href="/openapi.json">openapi.json</a></p>` +
    `<p>${prose(document.info.description)}</p><p>Authentication: ${prose(String(document.components.securitySchemes['apiKey']?.['description'] ?? ''))}</p>` +
    `<nav><h2>Operations</h2><ul>${contents}</ul></nav>${sections}<h2 id="schemas">Schemas</h2>${schemas}</body></html>`
  );
}

function operationHtml(path: string, method: string, operation: OpenApiOperation): string {
  const auth = operation.security.length > 0 ? 'API key' : operation.tags.includes('PSP webhooks') ? 'the PSP’s signature' : 'none';
  const body = operation.requestBody as { required: boolean; description: string; content: Record<string, { schema: JsonObject; examples?: Record<string, { summary: string; value: unknown }> }> } | undefined;
  const bodyHtml =
    body === undefined
      ? ''
      : Object.entries(body.content)
          .map(
            ([mediaType, content]) =>
              `<h4>Request body (${text(mediaType)}${body.required ? ', required' : ', optional'})</h4><p>${prose(body.description)} Schema: ${schemaLink(content.schema)}.</p>` +
              Object.values(content.examples ?? {})
                .map((example) => `<p class="muted">${text(example.summary)}</p><pre>${text(JSON.stringify(example.value, null, 2))}</pre>`)
                .join(''),
          )
          .join('');
  return (
    `<section class="op" id="${anchor(operation.operationId)}"><h3><span class="method ${text(method)}">${text(method.toUpperCase())}</span> <code>${text(path)}</code> — ${text(operation.summary)}</h3>` +
    `<p>${prose(operation.description)}</p><p class="muted">Authentication: ${auth}.</p>${parametersHtml(operation.parameters)}${bodyHtml}${responsesHtml(operation.responses)}</section>`
  );
}

function parametersHtml(parameters: readonly OpenApiParameter[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters
    .map(
      (parameter) =>
        `<tr><td><code>${text(parameter.name)}</code></td><td>${text(parameter.in)}${parameter.required ? ', required' : ''}</td><td>${schemaSummary(parameter.schema)}</td>` +
        `<td>${prose(parameter.description)}${parameter.example === undefined ? '' : ` Example: <code>${text(String(parameter.example))}</code>.`}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>schema</th><th></th></tr>${rows}</table>`;
}

function responsesHtml(responses: Readonly<Record<string, OpenApiResponse>>): string {
  const rows = Object.entries(responses)
    .map(([status, response]) => {
      const content = Object.entries(response.content ?? {})
        .map(([mediaType, { schema }]) => `${text(mediaType)} ${schemaLink(schema)}`)
        .join('<br>');
      const headers = Object.keys(response.headers ?? {}).map((header) => `<code>${text(header)}</code>`);
      return `<tr><td><b>${text(status)}</b></td><td>${prose(response.description)}${headers.length === 0 ? '' : ` Headers: ${headers.join(', ')}.`}</td><td>${content}</td></tr>`;
    })
    .join('');
  return `<h4>Responses</h4><table><tr><th>status</th><th>when</th><th>body</th></tr>${rows}</table>`;
}

function schemaLink(schema: JsonObject): string {
  const target = schema['$ref'];
  if (typeof target !== 'string') return schemaSummary(schema);
  const name = target.replace('#/components/schemas/', '');
  return `<a href="#schema-${anchor(name)}"><code>${text(name)}</code></a>`;
}

function schemaSummary(schema: JsonObject): string {
  const parts = [schema['type'], schema['enum'] === undefined ? undefined : `one of ${(schema['enum'] as unknown[]).join(', ')}`, schema['pattern'] === undefined ? undefined : `pattern ${String(schema['pattern'])}`, schema['format']];
  return `<code>${text(parts.filter((part) => part !== undefined).join('; '))}</code>`;
}

/** Escaped text with `code` spans (the descriptions' Markdown backticks). */
function prose(value: string): string {
  return text(value).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function text(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function anchor(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '-');
}
