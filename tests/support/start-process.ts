import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const running = new Set<ChildProcess>();

afterAll(async () => {
  await Promise.all([...running].map((p) => stopChild(p, 'SIGKILL')));
});

export interface StartedProcess {
  pid: number;
  /** Gateways: the port they listen on. */
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit (graceful). */
  stop(): Promise<number | null>;
  /** SIGKILL now: the crash case. */
  kill(): Promise<number | null>;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Spawns `tsx <entry>` with the env and waits for its `{"msg":"ready"}` line. */
async function startEntry(entry: string, env: Record<string, string>, timeoutMs = 30_000): Promise<StartedProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const ready = await new Promise<{ port?: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${out}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      out += `${line}\n`;
      if (out.length > 200_000) out = out.slice(-100_000);
      if (!line.startsWith('{"msg":"ready"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  const port = ready.port ?? 0;
  return {
    pid: child.pid as number,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    stop: () => stopChild(child, 'SIGTERM'),
    kill: () => stopChild(child, 'SIGKILL'),
  };
}

/** `readyTimeoutMs`: for files that start many processes at once on a loaded machine. */
export function startGatewayProcess(env: Record<string, string>, readyTimeoutMs?: number): Promise<StartedProcess> {
  return startEntry('gateway/main.ts', env, readyTimeoutMs);
}

export function startWorkerProcess(env: Record<string, string>, readyTimeoutMs?: number): Promise<StartedProcess> {
  return startEntry('workers/main.ts', env, readyTimeoutMs);
}
