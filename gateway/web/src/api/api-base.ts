/**
 * Where the gateway is. Served by the gateway itself (the default) that is this page's origin;
 * hosted elsewhere (a CDN, another domain) the host sets
 * `<meta name="evently-api-url" content="https://api.example.com">` in index.html and lists the
 * page's origin in the gateway's CORS_ORIGINS.
 */
function resolveApiBase(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="evently-api-url"]')?.content?.trim();
  return (meta || window.location.origin).replace(/\/+$/, '');
}

export const API_BASE = resolveApiBase();
