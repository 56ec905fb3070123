import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface WebAppFile {
  body: Buffer;
  /** Gzipped body, only kept when it is smaller. */
  gzip: Buffer | null;
  contentType: string;
  etag: string;
  /** Vite puts content-hashed names under assets/: those never change, so they cache forever. */
  immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

/**
 * Every file of the built app, read once into memory (a few hundred kilobytes). Requests are
 * answered only from this map of known names, so no request path ever reaches the file system:
 * `..`, encoded slashes or symlinks cannot escape the folder.
 */
export function loadWebAppFiles(dir: string): Map<string, WebAppFile> | null {
  if (!existsSync(path.join(dir, 'index.html')) || !statSync(dir).isDirectory()) return null;
  const files = new Map<string, WebAppFile>();
  for (const name of walk(dir)) {
    const ext = path.extname(name).toLowerCase();
    const body = readFileSync(path.join(dir, name));
    const zipped = COMPRESSIBLE.has(ext) ? gzipSync(body, { level: 9 }) : null;
    files.set(`/${name}`, {
      body,
      gzip: zipped && zipped.length < body.length ? zipped : null,
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      immutable: name.startsWith('assets/'),
    });
  }
  return files;
}
