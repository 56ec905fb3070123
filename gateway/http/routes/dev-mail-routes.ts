import { z } from 'zod';
import { parseInput } from '../../../core/contract/parse-input.js';
import { AppError } from '../../../core/domain/app-error.js';
import { escapeHtml } from '../../../core/domain/escape-html.js';
import { listCapturedMail } from '../../../core/mail/list-captured-mail.js';
import { readMime } from '../../../core/mail/read-mime.js';
import type { AppContext } from '../../app-context.js';
import type { Router } from '../http-router.js';

const MailParams = z.object({ id: z.string().uuid() });

/**
 * `npm start` without SMTP_URL: the mail the local SMTP sink caught, newest first. Registered
 * only when DEV_MAIL_DIR is set (never in a configured production).
 */
export function registerDevMailRoutes(router: Router, app: AppContext) {
  const dir = app.config.devMailDir;
  if (!dir) return;
  router.get('/dev/mail', async () => {
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
    const { id } = parseInput(MailParams, { id: (req.params.file ?? '').replace(/\.html$/, '') });
    const found = listCapturedMail(dir, 1000).find((m) => m.id === id);
    if (!found) throw new AppError('NOT_FOUND', 'no such mail');
    return { status: 200, text: readMime(found.raw).html ?? '', contentType: 'text/html; charset=utf-8' };
  });
}
