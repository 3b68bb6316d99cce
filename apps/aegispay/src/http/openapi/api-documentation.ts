import { renderDocsPage } from './docs.page';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.document';

/** `info.version` of the document: the app's version (a test keeps them equal). */
export const API_DOCUMENT_VERSION = '0.1.0';

let built: { readonly document: OpenApiDocument; readonly page: string } | undefined;

/** The OpenAPI document and its HTML page, built once per process (both are pure functions of the code). */
export function apiDocumentation(): { readonly document: OpenApiDocument; readonly page: string } {
  if (built === undefined) {
    const document = buildOpenApiDocument(API_DOCUMENT_VERSION);
    built = { document, page: renderDocsPage(document) };
  }
  return built;
}
