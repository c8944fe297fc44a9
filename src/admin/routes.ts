import { Router } from 'express';
import type { AppMail } from '../app.js';
import { auditAdminRoutes } from '../audit/routes.js';
import type { Config } from '../core/config.js';
import { rosterImportRoutes } from '../directory/roster/routes.js';
import type { User } from '../directory/types.js';
import { unitAdminRoutes } from '../directory/units/routes.js';
import { userAdminRoutes } from '../directory/users/routes.js';
import { outboxAdminRoutes } from '../mail/routes.js';
import { newsAdminRoutes } from '../news/admin-routes.js';
import { pactAdminRoutes } from '../pledges/pacts/routes.js';
import { ledgerAdminRoutes } from '../pledges/verification/ledger-routes.js';
import { complianceDashboard } from '../reports/dashboard.js';
import { complianceAdminRoutes } from '../reports/routes.js';
import type { Services } from '../services.js';
import { settingsAdminRoutes } from '../settings/routes.js';
import { requireRole } from '../web/guards.js';

/** The admin area: one guard for the whole namespace, so no page in it can forget to check. */
export function adminRoutes(services: Services, { mailer, reminders }: AppMail, config: Config): Router {
  const router = Router();
  router.use(requireRole('admin', 'operator'));

  router.get('/', (req, res) => {
    const isAdmin = req.user?.role === 'admin';
    res.render('admin/index', {
      title: res.locals.t('admin.title'),
      stats: { units: services.units.countActive(), users: services.users.countActive() },
      compliance: complianceDashboard(services, req.user as User, services.clock.now()),
      now: services.clock.now(),
      // The audit log is admin-only (it holds IP addresses of every user).
      recentEvents: isAdmin ? services.audit.recent(10) : [],
      isAdmin,
    });
  });

  router.use('/pakta', pactAdminRoutes(services));
  router.use('/audit', auditAdminRoutes(services));
  router.use('/pengaturan', settingsAdminRoutes(services));
  router.use('/unit', unitAdminRoutes(services));
  router.use('/pengguna/impor', rosterImportRoutes(services, mailer, config));
  // After /pengguna/impor (if mounted): '/impor' would otherwise be read as a user id.
  router.use('/pengguna', userAdminRoutes(services, mailer, config));
  router.use('/berita', newsAdminRoutes(services));
  router.use('/kepatuhan', complianceAdminRoutes(services, reminders));
  router.use('/ledger', ledgerAdminRoutes(services));
  router.use('/outbox', outboxAdminRoutes(services, mailer));

  return router;
}
