import { Router } from 'express';
import type { AgreementRepository } from '../agreements/repository.js';
import { publishedSummaries } from '../agreements/summaries.js';
import type { ComplianceCache } from '../compliance/compliance-cache.js';
import { OUTSTANDING_NAMED } from '../compliance/summary.js';
import type { Clock } from '../core/clock.js';
import type { PostRepository } from '../news/post-repository.js';
import type { PageCache } from '../web/page-cache.js';
import type { HealthRepository } from './health-repository.js';

const PINNED_ON_HOME = 3;
const LATEST_ON_HOME = 6;

export function homeRoutes(services: {
  agreements: AgreementRepository;
  clock: Clock;
  complianceCache: ComplianceCache;
  health: HealthRepository;
  pageCache: PageCache;
  posts: PostRepository;
}): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const now = services.clock.now();
    const pinned = await services.posts.pinnedVisible(now, PINNED_ON_HOME);
    const pinnedIds = new Set(pinned.map((post) => post.id));
    const latest = (await services.posts.pageVisible(now, null, LATEST_ON_HOME + pinned.length, 0))
      .filter((post) => !pinnedIds.has(post.id))
      .slice(0, LATEST_ON_HOME);
    await services.pageCache.render(
      res,
      'home/index',
      {
        title: res.locals.t('nav.home'),
        pinned,
        latest,
        compliance: await services.complianceCache.openPacts(),
        agreements: await publishedSummaries(services.agreements, 'open'),
        now,
        outstandingNamed: OUTSTANDING_NAMED,
      },
      { validUntil: (await services.posts.nextScheduledAfter(now))?.getTime() },
    );
  });
  return router;
}

/** Mounted before sessions and view locals, so that a health check touches nothing but the database. */
export function healthRoutes(services: { health: HealthRepository }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (await services.health.databaseAnswers()) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'error' });
  });

  return router;
}
