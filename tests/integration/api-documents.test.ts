import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminCommands, commands } from '../../core/contract/commands.js';
import { adminPushes, pushes } from '../../core/contract/pushes.js';
import { buildAsyncApi } from '../../gateway/docs/build-asyncapi.js';
import { buildOpenApi } from '../../gateway/docs/build-openapi.js';
import { http } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Served but not API: the web app's static files, the dev mail page, the docs page's script. */
const NOT_API = new Set(['get /*', 'get /dev/mail', 'get /dev/mail/{file}', 'get /api/docs.js']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'web' || name === 'node_modules') return [];
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every `router.get('/path', ...)` the gateway's code registers, in OpenAPI form. */
function registeredRoutes(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'gateway'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/router\.(get|post|patch|delete)\(\s*'([^']+)'/g)) {
      found.add(`${m[1]} ${(m[2] as string).replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
  }
  return found;
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}
const resolve = (doc: any, ref: string) =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((o: any, k) => (o === undefined ? undefined : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), doc);

const openApi = buildOpenApi('test') as any;
const asyncApi = buildAsyncApi('test') as any;

describe('OpenAPI 3.1 of the HTTP API', () => {
  it('documents exactly the routes the gateway registers', () => {
    const documented = new Set(
      Object.entries(openApi.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m} ${p}`)),
    );
    const registered = [...registeredRoutes()].filter((r) => !NOT_API.has(r));
    expect(registered.length).toBeGreaterThan(20);
    expect(registered.filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('is structurally valid', () => {
    expect(openApi.openapi).toBe('3.1.0');
    expect(openApi.info.title && openApi.info.version).toBeTruthy();
    for (const ref of refsIn(openApi)) expect([ref, resolve(openApi, ref) !== undefined]).toEqual([ref, true]);
    const ids = new Set<string>();
    for (const [p, ops] of Object.entries<any>(openApi.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(['get', 'post', 'patch', 'delete', 'put']).toContain(method);
        expect(op.operationId).toMatch(/^[A-Za-z0-9]+$/);
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const pathParams = (op.parameters ?? []).filter((x: any) => x.in === 'path');
        expect(pathParams.map((x: any) => x.name).sort()).toEqual(templated.sort());
        for (const param of op.parameters ?? []) {
          expect(['path', 'query', 'header']).toContain(param.in);
          expect(param.schema).toBeTypeOf('object');
          if (param.in === 'path') expect(param.required).toBe(true);
        }
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [status, r] of Object.entries<any>(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(r.description).toBeTruthy();
        }
        if (op.security)
          for (const s of op.security)
            for (const name of Object.keys(s)) expect(openApi.components.securitySchemes[name]).toBeTruthy();
      }
    }
  });

  it('carries the validators: bounds, formats, required fields and closed objects', () => {
    const create = openApi.paths['/api/admin/events'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['name', 'startsAt']));
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.refundPercent).toMatchObject({ type: 'integer', minimum: 0, maximum: 100 });
    expect(create.properties.venueId).toMatchObject({ type: 'string', format: 'uuid' });
    const list = openApi.paths['/api/events'].get;
    expect(list.parameters.map((p: any) => p.name)).toEqual([
      'q',
      'venueId',
      'series',
      'from',
      'to',
      'available',
      'limit',
      'cursor',
    ]);
    expect(list.responses['200'].headers.Link).toBeTruthy();
  });
});

describe('AsyncAPI 3 of the Socket.IO contract', () => {
  it('documents every command and push of core/contract and nothing else', () => {
    const ops = Object.values<any>(asyncApi.operations);
    const byChannel = (channel: string, action: string) =>
      ops
        .filter((o) => o.channel.$ref === `#/channels/${channel}` && o.action === action)
        .map((o) => o.title)
        .sort();
    expect(byChannel('root', 'send')).toEqual(Object.keys(commands).sort());
    expect(byChannel('admin', 'send')).toEqual(Object.keys(adminCommands).sort());
    expect(byChannel('root', 'receive')).toEqual(Object.keys(pushes).sort());
    expect(byChannel('admin', 'receive')).toEqual(Object.keys(adminPushes).sort());
    for (const o of ops.filter((x) => x.action === 'send')) expect(o.reply.messages).toHaveLength(1);
  });

  it('is structurally valid', () => {
    expect(asyncApi.asyncapi).toBe('3.0.0');
    expect(asyncApi.info.title && asyncApi.info.version).toBeTruthy();
    for (const ref of refsIn(asyncApi)) expect([ref, resolve(asyncApi, ref) !== undefined]).toEqual([ref, true]);
    const key = /^[A-Za-z0-9._-]+$/;
    for (const section of [asyncApi.channels, asyncApi.operations, asyncApi.components.messages, asyncApi.components.schemas]) {
      for (const k of Object.keys(section)) expect(k).toMatch(key);
    }
    for (const [name, channel] of Object.entries<any>(asyncApi.channels)) {
      expect(channel.address).toMatch(/^\//);
      for (const k of Object.keys(channel.messages)) expect([name, k]).toEqual([name, expect.stringMatching(key)]);
    }
    for (const op of Object.values<any>(asyncApi.operations)) {
      expect(['send', 'receive']).toContain(op.action);
      // Operation messages must be messages of the operation's channel.
      for (const m of [...op.messages, ...(op.reply?.messages ?? [])]) {
        expect(m.$ref.startsWith(`${op.channel.$ref}/messages/`)).toBe(true);
      }
      for (const m of op.messages)
        expect(resolve(asyncApi, resolve(asyncApi, m.$ref).$ref).payload.$ref).toMatch(/^#\/components\/schemas\//);
    }
    const hold = asyncApi.components.schemas['root.seats.hold'];
    expect(hold.required).toEqual(expect.arrayContaining(['eventId', 'admissionToken', 'idempotencyKey']));
  });
});

describe('served by the gateway', () => {
  let gw: StartedProcess;
  beforeAll(async () => {
    gw = await startGatewayProcess((await createTestEnv()).env);
  });

  it('answers the documents and a self-contained page', async () => {
    const served = await http(gw.url, 'GET', '/api/openapi.json');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('application/json');
    expect(Object.keys(served.body.paths).sort()).toEqual(Object.keys(openApi.paths).sort());
    const socket = await http(gw.url, 'GET', '/api/asyncapi.json');
    expect(socket.body.asyncapi).toBe('3.0.0');
    const page = await http(gw.url, 'GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('<script src="/api/docs.js">');
    // Self-contained: nothing is loaded from another host.
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await http(gw.url, 'GET', '/api/docs.js');
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.body).toContain('/api/openapi.json');
    expect(script.body).not.toMatch(/https?:\/\//);
    // It parses (a syntax error would only show in a browser).
    expect(() => new Function(script.body as string)).not.toThrow();
  });
});
