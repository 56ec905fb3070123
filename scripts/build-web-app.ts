/**
 * Builds the web app (gateway/web, Vite) into gateway/web/dist when it is missing or older than
 * any of its sources. `npm start` and the browser tests call it; `npm run build:web` forces it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'gateway/web');
export const WEB_DIST = path.join(WEB, 'dist');
/** What the bundle is made of: the app, its config and the contract it bundles. */
const SOURCES = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
  path.join(ROOT, 'core/contract'),
];
const LOCK = path.join(WEB, '.build-lock');

function newestMtimeMs(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(p).map((n) => newestMtimeMs(path.join(p, n))));
}

export function isWebAppStale(): boolean {
  const index = path.join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  return Math.max(...SOURCES.map(newestMtimeMs)) > statSync(index).mtimeMs;
}

function runVite(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', path.join(WEB, 'vite.config.ts')],
      {
        cwd: ROOT,
        // Vite takes NODE_ENV from the environment: under vitest it is `test`, which would bundle
        // React's development build (larger, slower, effects run twice). The app is always built for production.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

/**
 * Builds when needed. Test files run in parallel processes: a lock directory (mkdir is atomic)
 * lets one build while the others wait and then find it fresh.
 */
export async function ensureWebAppBuilt(options: { force?: boolean } = {}): Promise<'built' | 'fresh'> {
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 180_000) throw new Error(`web app build lock ${LOCK} held for too long`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!options.force && !isWebAppStale()) return 'fresh';
    await runVite();
    return 'built';
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = !process.argv.includes('--if-stale');
  ensureWebAppBuilt({ force }).then(
    (r) => process.stdout.write(`web app ${r === 'built' ? 'built' : 'up to date'}: ${path.relative(ROOT, WEB_DIST)}\n`),
    (err) => {
      process.stderr.write(`web app build failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
