/**
 * `npx tsx scripts/summarize-cpu-profile.ts FILE.cpuprofile [--top N]`: where a process spent its
 * CPU, from a V8 profile (bench `--cpu-prof DIR`): self time by function and by source area
 * (our directories, each node_modules package, node internals, GC/idle), largest first.
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

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const top = Number(values.top);

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
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = profile.endTime - profile.startTime;
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
}
