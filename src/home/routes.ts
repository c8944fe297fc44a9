import { Router } from 'express';
import { OUTSTANDING_NAMED } from '../compliance/summary.js';
import type { Services } from '../services.js';

const PINNED_ON_HOME = 3;
const LATEST_ON_HOME = 6;

export function homeRoutes(services: Services): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const now = services.clock.now();
    const pinned = services.posts.pinnedVisible(now, PINNED_ON_HOME);
    const pinnedIds = new Set(pinned.map((post) => post.id));
    const latest = services.posts
      .pageVisible(now, null, LATEST_ON_HOME + pinned.length, 0)
      .filter((post) => !pinnedIds.has(post.id))
      .slice(0, LATEST_ON_HOME);
    await services.pages.render(
      res,
      'home/index',
      {
        title: res.locals.t('nav.home'),
        pinned,
        latest,
        compliance: services.compliance.openPacts(),
        now,
        outstandingNamed: OUTSTANDING_NAMED,
      },
      { validUntil: services.posts.nextScheduledAfter(now)?.getTime() },
    );
  });
  return router;
}

/** Mounted before sessions and view locals, so that a health check touches nothing but the database. */
export function healthRoutes(services: Pick<Services, 'health'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (services.health.databaseAnswers()) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'error' });
  });

  return router;
}
