import { z } from 'zod';
import { Id } from '../../../core/contract/primitives.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { issueChallenge } from '../../../core/use-cases/waiting-room/issue-challenge.js';
import { loadAdmissionControl } from '../../../core/use-cases/waiting-room/load-admission-control.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { requireUser } from '../require-principal.js';

const EventParams = z.object({ id: Id });

/** A waiting-room challenge ahead of the join, so a page can solve it while it shows the event. */
export function registerChallengeRoutes(router: Router, app: AppContext) {
  router.get('/api/events/:id/challenge', async (req) => {
    const user = requireUser(req, app.config.jwtAccessSecret);
    const { id } = parseInput(EventParams, req.params);
    const deps = { ...app, admissionTokenSecret: app.config.admissionTokenSecret, challenge: app.config.challenge };
    await loadAdmissionControl(deps, id);
    return { status: 200, body: { challenge: await issueChallenge(deps, id, user.userId, app.now()) } };
  });
}
