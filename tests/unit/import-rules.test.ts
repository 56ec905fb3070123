import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'evently-import-rules-'));

/** Runs `npm run lint`'s import check on a tree of small files written for the case. */
async function checkImports(name: string, files: Record<string, string>) {
  const dir = path.join(work, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  const args = [
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    `plugin:${path.join(ROOT, 'scripts/import-rules-report.mjs')}`,
  ];
  const dirs = ['core', 'gateway', 'workers'].filter((d) => Object.keys(files).some((f) => f.startsWith(`${d}/`)));
  try {
    const r = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/depcruise'), [...args, ...dirs], { cwd: dir });
    return { status: 0, output: r.stdout + r.stderr };
  } catch (err: any) {
    return { status: err.code as number, output: `${err.stdout}${err.stderr}` };
  }
}

const exporting = (name: string, ...imports: string[]) =>
  `${imports.map((from, i) => `import { x as x${i} } from '${from}';`).join('\n')}\nexport const x = 1;\nexport const ${name} = [${imports.map((_, i) => `x${i}`).join(', ')}];\n`;

let clean: Awaited<ReturnType<typeof checkImports>>;
let broken: Awaited<ReturnType<typeof checkImports>>;

beforeAll(async () => {
  [clean, broken] = await Promise.all([
    checkImports('clean', {
      'core/contract/a.ts': exporting('a'),
      'core/domain/b.ts': exporting('b', '../contract/a.js'),
      'core/use-cases/c/c.ts': exporting('c', '../../domain/b.js'),
      'gateway/main.ts': exporting('main', './http/d.js', '../core/use-cases/c/c.js'),
      'gateway/http/d.ts': exporting('d', '../../core/domain/b.js'),
      // the waitlist uses seats
      'core/use-cases/seats/h.ts': exporting('h', '../../domain/b.js'),
      'core/use-cases/waitlist/w.ts': exporting('w', '../seats/h.js'),
      // the runners run the after-commit path
      'core/run-after-seat-change.ts': exporting('run'),
      'gateway/socket/after-seat-change.ts': exporting('after', '../../core/run-after-seat-change.js'),
      'gateway/socket/bind-commands.ts': exporting('bind', './after-seat-change.js'),
      'workers/runtime/worker-after-commit.ts': exporting('worker', '../../core/run-after-seat-change.js'),
    }),
    checkImports('broken', {
      // siblings: p -> q -> p (no file cycle: four different files)
      'core/use-cases/p/a.ts': exporting('a', '../q/b.js'),
      'core/use-cases/p/c.ts': exporting('c'),
      'core/use-cases/q/b.ts': exporting('b'),
      'core/use-cases/q/d.ts': exporting('d', '../p/c.js'),
      // a composition root imported back by its subfolder
      'gateway/start.ts': exporting('start', './socket/s.js'),
      'gateway/context.ts': exporting('context'),
      'gateway/socket/s.ts': exporting('s'),
      'gateway/socket/t.ts': exporting('t', '../context.js'),
      // the rules stay pure; the contract stands alone
      'core/domain/rule.ts': exporting('rule', '../use-cases/q/b.js'),
      'core/contract/wire.ts': exporting('wire', '../domain/ok.js'),
      'core/domain/ok.ts': exporting('ok'),
      // the edges never meet
      'workers/w.ts': exporting('w', '../gateway/socket/s.js'),
      // seats never use the waitlist back
      'core/use-cases/seats/h.ts': exporting('h', '../waitlist/w.js'),
      'core/use-cases/seats/i.ts': exporting('i'),
      'core/use-cases/waitlist/w.ts': exporting('w'),
      'core/use-cases/waitlist/v.ts': exporting('v', '../seats/i.js'),
      // a handler or a worker module running the after-commit path itself
      'core/run-after-seat-change.ts': exporting('run'),
      'gateway/socket/after-seat-change.ts': exporting('after', '../../core/run-after-seat-change.js'),
      'gateway/socket/handlers/hold.ts': exporting('hold', '../after-seat-change.js'),
      'workers/seats/expiry.ts': exporting('expiry', '../../core/run-after-seat-change.js'),
    }),
  ]);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('import rules (npm run lint)', () => {
  it('pass a tree that imports inward', () => {
    expect(clean.output).toContain('no violations, no folder cycles');
    expect(clean.status).toBe(0);
  });

  it('find folder cycles between siblings and between a parent folder and its subfolder, and layer breaches', () => {
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('folder cycle: core/use-cases/p <-> core/use-cases/q');
    expect(broken.output).toContain('folder cycle: gateway <-> gateway/socket');
    expect(broken.output).toContain('gateway/socket/t.ts -> gateway/context.ts');
    expect(broken.output).toContain('domain-is-pure: core/domain/rule.ts -> core/use-cases/q/b.ts');
    expect(broken.output).toContain('contract-stands-alone: core/contract/wire.ts -> core/domain/ok.ts');
    expect(broken.output).toContain('workers-and-gateway-apart: workers/w.ts -> gateway/socket/s.ts');
  });

  it('let only the runners run the after-commit path', () => {
    expect(clean.output).not.toContain('one-after-commit-path');
    expect(broken.output).toContain(
      'one-after-commit-path: gateway/socket/handlers/hold.ts -> gateway/socket/after-seat-change.ts',
    );
    expect(broken.output).toContain('one-after-commit-path: workers/seats/expiry.ts -> core/run-after-seat-change.ts');
  });

  it('report seats <-> waitlist: the waitlist depends on seats, never the reverse', () => {
    expect(broken.output).toContain('folder cycle: core/use-cases/seats <-> core/use-cases/waitlist');
    expect(broken.output).toContain('core/use-cases/seats/h.ts -> core/use-cases/waitlist/w.ts');
  });
});
