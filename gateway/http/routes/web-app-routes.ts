import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../context/app-context.js';
import type { HttpRequest, HttpResponse } from '../http-request.js';
import type { Router } from '../http-router.js';
import { loadWebAppFiles, type WebAppFile } from './web-app-files.js';

/** Where `npm run build:web` (Vite) writes the app; `npm start` and the browser tests build it. */
export const WEB_APP_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Paths that belong to the API and never fall back to the app's index.html. */
const SERVER_PREFIXES = ['/api/', '/socket.io/', '/health', '/ready', '/metrics'];

function notFound(message: string): HttpResponse {
  return { status: 404, body: { error: { code: 'NOT_FOUND', message } } };
}

function answer(file: WebAppFile, req: HttpRequest): HttpResponse {
  const headers: Record<string, string> = {
    etag: file.etag,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === file.etag) return { status: 304, headers, text: '', contentType: file.contentType };
  const gzip = file.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  if (gzip) headers['content-encoding'] = 'gzip';
  return { status: 200, headers, text: gzip ? file.gzip! : file.body, contentType: file.contentType };
}

/**
 * The web app at `/`: its built files by exact name, and index.html for client routes (any other
 * path without a file extension) so a reload of `/events/<id>` works. Registered last: every API
 * route is more specific and wins.
 */
export function registerWebAppRoutes(router: Router, app: AppContext, dir: string = WEB_APP_DIST) {
  const files = loadWebAppFiles(dir);
  if (!files) app.log.warn({ dir }, 'web app not built (npm run build:web): / answers 404');
  router.get('/*', async (req) => {
    if (SERVER_PREFIXES.some((p) => req.path === p.replace(/\/$/, '') || req.path.startsWith(p))) {
      return notFound('no such route');
    }
    if (!files) return notFound('the web app is not built: run `npm run build:web`');
    const file = files.get(req.path);
    if (file) return answer(file, req);
    // A name with an extension is a file that does not exist; anything else is a client route.
    if (path.posix.extname(req.path) !== '' || req.path.includes('\0')) return notFound('no such file');
    return answer(files.get('/index.html')!, req);
  });
}
