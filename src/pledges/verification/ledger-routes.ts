import { Router } from 'express';
import { actorOf } from '../../audit/actor.js';
import { recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import type { ScanRepository } from '../../scans/scan-repository.js';
import { renderAdminPage } from '../../web/admin-layout.js';
import { flash } from '../../web/flash.js';
import { requireRole } from '../../web/guards.js';
import type { PactRepository } from '../pact-repository.js';
import type { SignatureRepository } from '../signature-repository.js';
import { checkRecords } from './check-records.js';

/** /admin/ledger: the chain head and the last check, and a button to check again. Admins only. */
export function ledgerAdminRoutes(services: {
  audit: AuditRepository;
  clock: Clock;
  ledger: LedgerRepository;
  pacts: PactRepository;
  scans: ScanRepository;
  signatures: SignatureRepository;
}): Router {
  const router = Router();
  router.use(requireRole('admin'));

  router.get('/', async (_req, res) => {
    renderAdminPage(res, 'pledges/verification/ledger', {
      title: res.locals.t('admin.ledger.title'),
      head: await services.ledger.head(),
      lastCheck: await services.ledger.lastCheck(),
      upgrade: await services.ledger.formatUpgrade(),
    });
  });

  router.post('/periksa', async (req, res) => {
    const check = await checkRecords(services, services.clock, { record: true });
    await recordEvent(services.audit, {
      actor: actorOf(req),
      action: 'ledger.checked',
      details: { ok: check.ok, entries: check.entries, firstBadSeq: check.firstBadSeq },
      at: services.clock.now(),
    });
    flash(req, check.ok ? 'success' : 'danger', 'admin.ledger.checked');
    res.redirect(303, '/admin/ledger');
  });

  return router;
}
