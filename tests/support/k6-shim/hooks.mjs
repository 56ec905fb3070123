// Module hooks of the k6 shim: `k6` and `k6/*` resolve to this folder's stand-ins, and every VU
// gets its own module graph (as in k6, where each VU is its own JavaScript runtime): a `?vu=N`
// on the script's URL is carried to every relative import below it.
const SHIMS = new Set(['k6', 'k6/http', 'k6/metrics', 'k6/timers', 'k6/websockets', 'k6/crypto']);

export async function resolve(specifier, context, next) {
  if (SHIMS.has(specifier)) {
    const file = specifier === 'k6' ? 'k6' : specifier.slice(3);
    return { url: new URL(`./${file}.mjs`, import.meta.url).href, shortCircuit: true };
  }
  const resolved = await next(specifier, context);
  const vu = context.parentURL ? /[?&]vu=(\d+)/.exec(context.parentURL) : null;
  if (vu && specifier.startsWith('.') && resolved.url.startsWith('file:') && !resolved.url.includes('?')) {
    return { ...resolved, url: `${resolved.url}?vu=${vu[1]}` };
  }
  return resolved;
}
