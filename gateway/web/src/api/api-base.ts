/**
 * Where the gateway is. Served by the gateway itself (the default) that is this page's origin;
 * hosted elsewhere (a CDN, another domain) the host sets
 * `<meta name="evently-api-url" content="https://api.example.com">` in index.html and lists the
 * page's origin in the gateway's CORS_ORIGINS.
 */
let base: string | undefined;

export function apiBase(): string {
  if (base !== undefined) return base;
  const meta = document.querySelector<HTMLMetaElement>('meta[name="evently-api-url"]')?.content?.trim();
  base = (meta || window.location.origin).replace(/\/+$/, '');
  return base;
}
