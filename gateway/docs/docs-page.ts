/**
 * /api/docs: a self-contained page (no CDN: the machines it runs on may have no internet) that
 * renders /api/openapi.json and /api/asyncapi.json. The script is served from /api/docs.js so
 * the default Content-Security-Policy (script-src 'self') allows it.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evently API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1d1d1f}
h1{margin:.2rem 0}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
details{border:1px solid #e3e3e3;border-radius:6px;margin:.35rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code,pre{font:13px ui-monospace,monospace}pre{background:#f6f6f6;padding:.5rem;overflow:auto;border-radius:4px}
.m{display:inline-block;min-width:4.2rem;font-weight:600;text-transform:uppercase}.get{color:#0a6}.post{color:#06c}.patch{color:#a60}.delete{color:#c03}
.send{color:#06c}.receive{color:#0a6}.muted{color:#666}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:left}
</style></head>
<body><h1>Evently API</h1>
<p class="muted">Generated from the server's own schemas: <a href="/api/openapi.json">OpenAPI 3.1</a> (HTTP) and
<a href="/api/asyncapi.json">AsyncAPI 3</a> (Socket.IO).</p>
<input id="filter" placeholder="Filter (path, command, summary)" size="50">
<div id="app">Loading…</div>
<script src="/api/docs.js"></script></body></html>`;

export const DOCS_JS = `(function () {
  'use strict';
  var app = document.getElementById('app');
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function resolver(doc) {
    return function resolve(s) {
      var seen = 0;
      while (s && s.$ref && seen++ < 20) {
        s = s.$ref.replace(/^#\\//, '').split('/').reduce(function (o, k) { return o && o[k]; }, doc);
      }
      return s;
    };
  }
  function schemaText(s, resolve, depth) {
    s = resolve(s);
    depth = depth || 0;
    if (!s || depth > 8) return 'any';
    var pad = new Array(depth + 2).join('  ');
    if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(function (x) { return schemaText(x, resolve, depth); }).join(' | ');
    if (s.enum) return s.enum.map(function (v) { return JSON.stringify(v); }).join(' | ');
    if (s.const !== undefined) return JSON.stringify(s.const);
    var t = Array.isArray(s.type) ? s.type.join('|') : s.type;
    if (t === 'array') return schemaText(s.items, resolve, depth) + '[]';
    if (t === 'object' || s.properties) {
      var req = s.required || [];
      var keys = Object.keys(s.properties || {});
      if (!keys.length) return '{…}';
      return '{\\n' + keys.map(function (k) {
        return pad + k + (req.indexOf(k) >= 0 ? '' : '?') + ': ' + schemaText(s.properties[k], resolve, depth + 1);
      }).join('\\n') + '\\n' + pad.slice(2) + '}';
    }
    var extra = [s.format, s.minimum !== undefined ? '>=' + s.minimum : '', s.maximum !== undefined ? '<=' + s.maximum : '',
      s.maxLength !== undefined ? 'len<=' + s.maxLength : ''].filter(Boolean).join(' ');
    return (t || 'any') + (extra ? ' (' + extra + ')' : '');
  }
  function renderHttp(doc) {
    var resolve = resolver(doc);
    var out = [el('h2', {}, ['HTTP'])];
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        var body = [];
        if (op.security) body.push(el('p', { class: 'muted' }, ['Needs Authorization: Bearer <accessToken>']));
        if (op.parameters && op.parameters.length) {
          body.push(el('table', {}, [el('tr', {}, [el('th', {}, ['parameter']), el('th', {}, ['in']), el('th', {}, ['schema'])])].concat(
            op.parameters.map(function (p) {
              return el('tr', {}, [el('td', {}, [p.name + (p.required ? '' : '?')]), el('td', {}, [p.in]), el('td', {}, [schemaText(p.schema, resolve)])]);
            }))));
        }
        if (op.requestBody) body.push(el('p', {}, ['Body']), el('pre', {}, [schemaText(op.requestBody.content['application/json'].schema, resolve)]));
        Object.keys(op.responses).forEach(function (status) {
          var r = op.responses[status];
          var c = r.content && (r.content['application/json'] || r.content['text/plain']);
          body.push(el('p', {}, [status + ' ' + r.description]));
          if (c) body.push(el('pre', {}, [schemaText(c.schema, resolve)]));
        });
        out.push(el('details', { 'data-text': (method + ' ' + path + ' ' + (op.summary || '')).toLowerCase() }, [
          el('summary', {}, [el('span', { class: 'm ' + method }, [method]), el('code', {}, [path]), ' ', el('span', { class: 'muted' }, [op.summary || ''])]),
        ].concat(body)));
      });
    });
    return out;
  }
  function renderSocket(doc) {
    var resolve = resolver(doc);
    var out = [el('h2', {}, ['Socket.IO'])];
    Object.keys(doc.operations).forEach(function (id) {
      var op = doc.operations[id];
      var channel = resolve(op.channel);
      var msg = resolve(resolve(op.messages[0]));
      var body = [el('p', { class: 'muted' }, ['namespace ' + channel.address + ' · ' + op.summary]), el('pre', {}, [schemaText(msg.payload, resolve)])];
      if (op.reply) body.push(el('p', {}, ['Acknowledgement']), el('pre', {}, [schemaText(resolve(resolve(op.reply.messages[0])).payload, resolve)]));
      out.push(el('details', { 'data-text': (op.title + ' ' + channel.address).toLowerCase() }, [
        el('summary', {}, [el('span', { class: 'm ' + op.action }, [op.action === 'send' ? 'emit' : 'push']), el('code', {}, [op.title]), ' ',
          el('span', { class: 'muted' }, [channel.address])]),
      ].concat(body)));
    });
    return out;
  }
  Promise.all(['/api/openapi.json', '/api/asyncapi.json'].map(function (u) { return fetch(u).then(function (r) { return r.json(); }); }))
    .then(function (docs) {
      app.textContent = '';
      renderHttp(docs[0]).concat(renderSocket(docs[1])).forEach(function (n) { app.appendChild(n); });
      document.getElementById('filter').addEventListener('input', function (e) {
        var q = e.target.value.toLowerCase();
        app.querySelectorAll('details').forEach(function (d) { d.style.display = d.getAttribute('data-text').indexOf(q) >= 0 ? '' : 'none'; });
      });
    })
    .catch(function (err) { app.textContent = 'Could not load the documents: ' + err; });
})();
`;
