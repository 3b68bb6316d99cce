import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { AnswerInterceptor } from './answer.interceptor';
import type { ApiAnswer } from './http-response';
import { apiDocumentation } from './openapi/api-documentation';
import { DOCS_CONTENT_SECURITY_POLICY } from './openapi/docs.page';

/** `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (it as a page): no API key, no merchant data. */
@Controller()
@UseInterceptors(AnswerInterceptor)
export class DocsController {
  /** The OpenAPI 3.1 document, generated from the schemas the server validates with. */
  @Get('openapi.json')
  document(): ApiAnswer {
    return { status: 200, kind: 'json', headers: {}, body: apiDocumentation().document };
  }

  /** The document as one HTML page that loads nothing from elsewhere. */
  @Get('docs')
  page(): ApiAnswer {
    return {
      status: 200,
      kind: 'text',
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY },
      body: apiDocumentation().page,
    };
  }
}
