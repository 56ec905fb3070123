import { z } from 'zod';
import { AppError } from '../../../core/domain/app-error.js';
import { escapeHtml } from '../../../core/domain/escape-html.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { listCapturedMail } from '../../../core/mail/list-captured-mail.js';
import { readMime } from '../../../core/mail/read-mime.js';
import type { AppContext } from '../../context/app-context.js';
import type { HttpRequest } from '../http-request.js';
import type { Router } from '../http-router.js';

const MailParams = z.object({ id: z.string().uuid() });

/** This machine, asking directly: a proxy on the same host would forward anyone's request. */
function isLocalRequest(req: HttpRequest): boolean {
  const local = req.peer === '127.0.0.1' || req.peer === '::1' || req.peer === '0:0:0:0:0:0:0:1';
  return local && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

/**
 * `npm start` without SMTP_URL: the mail the local SMTP sink caught, newest first. It holds
 * everyone's password-reset links: registered only when DEV_MAIL_DIR is set and never with
 * NODE_ENV=production, and answered only to this machine (404 to anyone else).
 */
export function registerDevMailRoutes(router: Router, app: AppContext) {
  const dir = app.config.devMailDir;
  if (!dir || app.config.env === 'production') return;
  const onlyLocal = (req: HttpRequest) => {
    if (!isLocalRequest(req)) throw new AppError('NOT_FOUND', 'no such route');
  };
  router.get('/dev/mail', async (req) => {
    onlyLocal(req);
    const items = listCapturedMail(dir).map((m) => {
      const mail = readMime(m.raw);
      return `<article><h2>${escapeHtml(mail.headers.subject ?? '(no subject)')}</h2>
<p>To ${escapeHtml(m.to.join(', '))} · ${escapeHtml(m.receivedAt)} · ${escapeHtml(mail.headers['message-id'] ?? '')} ·
<a href="/dev/mail/${m.id}.html">HTML part</a></p><pre>${escapeHtml(mail.text ?? '')}</pre></article>`;
    });
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Evently mail (local sink)</title></head>
<body><h1>Mail caught by the local SMTP sink (${items.length})</h1>${items.join('\n<hr>\n') || '<p>No mail yet.</p>'}</body></html>`;
    return { status: 200, text: html, contentType: 'text/html; charset=utf-8' };
  });
  router.get('/dev/mail/:file', async (req) => {
    onlyLocal(req);
    const { id } = parseInput(MailParams, { id: (req.params.file ?? '').replace(/\.html$/, '') });
    const found = listCapturedMail(dir, 1000).find((m) => m.id === id);
    if (!found) throw new AppError('NOT_FOUND', 'no such mail');
    return { status: 200, text: readMime(found.raw).html ?? '', contentType: 'text/html; charset=utf-8' };
  });
}
