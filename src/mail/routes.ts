import { Router } from 'express';
import { renderAdminPage } from '../web/admin-layout.js';
import { requireRole } from '../web/guards.js';
import { pageFromQuery } from '../web/pagination.js';
import type { Mailer } from './mailer.js';
import type { OutboxRepository } from './outbox-repository.js';

const PAGE_SIZE = 50;

/** /admin/outbox: the mail Ikrar sent or kept. Admins only (kept messages hold password links). */
export function outboxAdminRoutes(services: { outbox: OutboxRepository }, mailer: Mailer): Router {
  const router = Router();
  router.use(requireRole('admin'));

  router.get('/', async (req, res) => {
    const page = pageFromQuery(req.query.halaman, await services.outbox.count(), PAGE_SIZE);
    renderAdminPage(res, 'mail/outbox', {
      title: res.locals.t('outbox.title'),
      messages: await services.outbox.page(PAGE_SIZE, page.offset),
      page,
      delivers: mailer.delivers,
    });
  });

  return router;
}
