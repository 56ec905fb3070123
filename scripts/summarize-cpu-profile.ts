/**
 * `npx tsx scripts/summarize-cpu-profile.ts FILE.cpuprofile [--top N] [--window START_US,END_US]`:
 * where a process spent its CPU, from a V8 profile (bench `--cpu-prof DIR`): self time by function
 * and by source area (our directories, each node_modules package, node internals, GC/idle), and
 * time by the innermost frame of our own code on the stack (what our code caused, libraries
 * included), largest first. `--window` keeps only the samples inside a span of the monotonic
 * clock in microseconds (bench-holds prints its burst as `burstMonotonicUs`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, window: { type: 'string' } },
});
const top = Number(values.top);
const window = values.window ? values.window.split(',').map(Number) : null;
if (window && (window.length !== 2 || window.some((n) => !Number.isFinite(n)))) {
  throw new Error('--window takes START_US,END_US (two numbers)');
}

/** The part of the code a frame belongs to: a package, one of our directories, or a V8 bucket. */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(core|gateway|workers|scripts|load-tests)\/(.+)$/.exec(url);
  if (ours) return `${ours[1]}/${path.dirname(ours[2] as string)}`;
  return url;
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  let total = 0;
  for (const [i, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < (window[0] as number) || at > (window[1] as number))) continue;
    total += delta;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  /** The innermost frame of our own code on a sample's stack, or the area of its own frame. */
  const ownerOf = (id: number): string => {
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const { functionName, url, lineNumber } = (byId.get(n) as ProfileNode).callFrame;
      const ours = /\/(core|gateway|workers)\/(.+)$/.exec(url);
      if (ours && !url.includes('node_modules'))
        return `${functionName || '(anonymous)'} ${ours[1]}/${ours[2]}:${lineNumber + 1}`;
    }
    const { functionName, url } = (byId.get(id) as ProfileNode).callFrame;
    return `[${areaOf(url, functionName)}]`;
  };
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const name = functionName || '(anonymous)';
    const where = url
      ? `${url.replace(/^file:\/\/.*?\/(node_modules|core|gateway|workers|scripts)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const key = `${name} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const area = areaOf(url, name);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    if (area !== '(idle)') {
      const owner = ownerOf(id);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    }
  }
  const idle = byArea.get('(idle)') ?? 0;
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)} %`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const sorted = (m: Map<string, number>) =>
    [...m].filter(([k]) => k !== '(idle)' && !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  process.stdout.write(
    `\n${file}\n  wall ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (idle ${(idle / 1e6).toFixed(1)} s); shares are of busy time\n\n  by area\n`,
  );
  for (const [k, us] of sorted(byArea).slice(0, top)) process.stdout.write(`  ${ms(us)} ${pct(us)}  ${k}\n`);
  process.stdout.write('\n  by function (self time)\n');
  for (const [k, us] of sorted(byFunction).slice(0, top)) process.stdout.write(`  ${ms(us)} ${pct(us)}  ${k}\n`);
  process.stdout.write('\n  by owner (innermost frame of ours on the stack)\n');
  for (const [k, us] of sorted(byOwner).slice(0, top)) process.stdout.write(`  ${ms(us)} ${pct(us)}  ${k}\n`);
}
