import type { AppContext } from '../../context/app-context.js';
import { buildAsyncApi } from '../../docs/build-asyncapi.js';
import { buildOpenApi } from '../../docs/build-openapi.js';
import { DOCS_HTML, DOCS_JS } from '../../docs/docs-page.js';
import type { Router } from '../http-router.js';

const VERSION = '1.1';

/** The API documents, generated once per process from the contract, and a page to browse them. */
export function registerDocsRoutes(router: Router, _app: AppContext) {
  // Built on first request, then kept: the contract cannot change while the process runs.
  const once = (build: () => unknown) => {
    let text: string | undefined;
    return () => {
      text ??= JSON.stringify(build());
      return text;
    };
  };
  const openApi = once(() => buildOpenApi(VERSION));
  const asyncApi = once(() => buildAsyncApi(VERSION));
  const json = (text: string) => ({
    status: 200,
    text,
    contentType: 'application/json; charset=utf-8',
    headers: { 'cache-control': 'no-cache' },
  });
  router.get('/api/openapi.json', async () => json(openApi()));
  router.get('/api/asyncapi.json', async () => json(asyncApi()));
  router.get('/api/docs', async () => ({ status: 200, text: DOCS_HTML, contentType: 'text/html; charset=utf-8' }));
  router.get('/api/docs.js', async () => ({ status: 200, text: DOCS_JS, contentType: 'text/javascript; charset=utf-8' }));
}
