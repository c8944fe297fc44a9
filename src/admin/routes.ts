import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { ledgerAdminRoutes } from '../ledger/admin-routes.js';
import { pactAdminRoutes } from '../pledges/admin-routes.js';
import type { Services } from '../services.js';

/** The admin area: one guard for the whole namespace, so no page in it can forget to check. */
export function adminRoutes(services: Services): Router {
  const router = Router();
  router.use(requireRole('admin', 'operator'));

  router.get('/', (req, res) => {
    const isAdmin = req.user?.role === 'admin';
    res.render('admin/index', {
      title: res.locals.t('admin.title'),
      stats: { units: services.units.countActive(), users: services.users.countActive() },
      // The audit log is admin-only (it holds IP addresses of every user).
      recentEvents: isAdmin ? services.audit.recent(10) : [],
      isAdmin,
    });
  });

  router.use('/pakta', pactAdminRoutes(services));
  router.use('/ledger', ledgerAdminRoutes(services));

  return router;
}
