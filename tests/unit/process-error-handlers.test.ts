import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(entry: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('process-level error handlers', () => {
  it('log an uncaught exception and an unhandled rejection and keep the process running', async () => {
    const { code, stdout } = await run('tests/fixtures/throwing-process.ts');
    expect(stdout).toContain('still alive');
    expect(code).toBe(0);
    expect(stdout).toContain('uncaught exception; still serving');
    expect(stdout).toContain('unhandled promise rejection; still serving');
    expect(stdout).toContain('thrown from a timer');
  });
});
