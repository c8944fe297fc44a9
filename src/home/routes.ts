import { Router } from 'express';
import type { Services } from '../services.js';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home/index', { title: res.locals.instance.name });
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
