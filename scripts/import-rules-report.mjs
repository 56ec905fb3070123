// dependency-cruiser reporter for `npm run lint`: prints the violations of .dependency-cruiser.cjs and
// the folder cycles of core/, gateway/ and workers/, a parent folder's own files counted as a folder
// of their own. dependency-cruiser's folder scope folds a subfolder into its parent, so it cannot see
// gateway/start-gateway.ts importing gateway/socket/ while gateway/socket/ imports a file of gateway/'s own:
// a composition root imports its subfolders, and nothing imports it back.
import { dirname } from 'node:path';

const inScope = /^(core|gateway|workers)\//;

/** The imports between files of different folders: [fromFile, toFile]. */
function folderImports(modules) {
  const imports = [];
  for (const m of modules) {
    if (!inScope.test(m.source)) continue;
    for (const d of m.dependencies) {
      if (!inScope.test(d.resolved) || dirname(d.resolved) === dirname(m.source)) continue;
      imports.push([m.source, d.resolved]);
    }
  }
  return imports;
}

/** Tarjan's strongly connected components of size > 1. */
function cyclesOf(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const members = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        members.push(w);
      } while (w !== v);
      if (members.length > 1) found.push(members.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * Folder cycles at every depth: at depth d a file belongs to the first d parts of its folder, so a
 * parent's own files stay apart from its subfolders (depth of the parent + 1) and subtrees that
 * import each other round show too (smaller depths). Each cycle once, with the imports that make it.
 */
export function findFolderCycles(modules) {
  const imports = folderImports(modules);
  const deepest = Math.max(0, ...imports.flat().map((f) => dirname(f).split('/').length));
  const seen = new Set();
  const cycles = [];
  for (let depth = deepest; depth >= 1; depth -= 1) {
    const folderAt = (file) => dirname(file).split('/').slice(0, depth).join('/');
    const graph = new Map();
    for (const [from, to] of imports) {
      const a = folderAt(from);
      const b = folderAt(to);
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a).add(b);
    }
    for (const members of cyclesOf(graph)) {
      const key = members.join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      const inCycle = new Set(members);
      const through = imports.filter(([from, to]) => {
        const a = folderAt(from);
        const b = folderAt(to);
        return a !== b && inCycle.has(a) && inCycle.has(b);
      });
      cycles.push({ folders: members, imports: through });
    }
  }
  return cycles;
}

function describeViolation(v) {
  const path = v.cycle?.length ? v.cycle.map((c) => c.name ?? c).join(' -> ') : v.to;
  return `  error ${v.rule.name}: ${v.from} -> ${path}`;
}

/** @param {import('dependency-cruiser').ICruiseResult} result */
export default function importRulesReport(result) {
  const violations = result.summary.violations.filter((v) => v.rule.severity === 'error');
  const folderCycles = findFolderCycles(result.modules);
  const lines = violations.map(describeViolation);
  for (const c of folderCycles) {
    lines.push(`  error folder cycle: ${c.folders.join(' <-> ')}`);
    for (const [from, to] of c.imports) lines.push(`      ${from} -> ${to}`);
  }
  const problems = violations.length + folderCycles.length;
  lines.push(
    problems === 0
      ? `import rules: ${result.summary.totalCruised} modules, no violations, no folder cycles`
      : `import rules: ${violations.length} violations, ${folderCycles.length} folder cycles`,
  );
  return { output: `${lines.join('\n')}\n`, exitCode: problems === 0 ? 0 : 1 };
}
