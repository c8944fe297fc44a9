import { Router } from 'express';
import type { LetterBatchRepository } from '../activation/letter-batch-repository.js';
import { letterRoutes } from '../activation/letter-routes.js';
import { agreementAdminRoutes } from '../agreements/admin-routes.js';
import type { AgreementRepository } from '../agreements/repository.js';
import type { AuditRepository } from '../audit/repository.js';
import { auditAdminRoutes } from '../audit/routes.js';
import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { ComplianceRepository } from '../compliance/compliance-repository.js';
import type { PeopleRepository } from '../compliance/people-repository.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { TimeZone } from '../core/time-zone.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import type { Db } from '../db/database.js';
import { anonymiseRoutes } from '../directory/anonymise/routes.js';
import type { PersonalTracesRepository } from '../directory/anonymise/traces-repository.js';
import type { RosterImportRepository } from '../directory/roster/repository.js';
import { rosterImportRoutes } from '../directory/roster/routes.js';
import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { UnitZoneLookup } from '../directory/unit-time-zone.js';
import { unitAdminRoutes } from '../directory/units/routes.js';
import type { UserRepository } from '../directory/user-repository.js';
import { userAdminRoutes } from '../directory/users/routes.js';
import type { LedgerRepository } from '../ledger/repository.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboxRepository } from '../mail/outbox-repository.js';
import { outboxAdminRoutes } from '../mail/routes.js';
import { newsAdminRoutes } from '../news/admin-routes.js';
import type { PostRepository } from '../news/post-repository.js';
import { paperRoutes } from '../paper/routes.js';
import type { ExemptionRepository } from '../pledges/exemptions/exemption-repository.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import { pactAdminRoutes } from '../pledges/pacts/routes.js';
import type { SignatureRepository } from '../pledges/signature-repository.js';
import { ledgerAdminRoutes } from '../pledges/verification/ledger-routes.js';
import type { ReminderRepository } from '../reminders/reminder-repository.js';
import type { ReminderSender } from '../reminders/send-reminders.js';
import { exemptionRoutes } from '../reports/exemption-routes.js';
import { complianceAdminRoutes } from '../reports/routes.js';
import type { ScanRepository } from '../scans/scan-repository.js';
import type { InstanceSeal } from '../seal/instance-seal.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import type { InstanceSettings } from '../settings/instance.js';
import type { SettingsRepository } from '../settings/repository.js';
import { settingsAdminRoutes } from '../settings/routes.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { requireRole } from '../web/guards.js';
import { adminDashboard } from './dashboard.js';

/** The admin area: one guard for the whole namespace, so no page in it can forget to check. */
export function adminRoutes(
  services: {
    agreements: AgreementRepository;
    audit: AuditRepository;
    clock: Clock;
    complianceCache: ComplianceCache;
    complianceCounts: ComplianceRepository;
    compliancePeople: PeopleRepository;
    db: Db;
    instanceSettings: () => Promise<InstanceSettings>;
    exemptions: ExemptionRepository;
    ledger: LedgerRepository;
    letterBatches: LetterBatchRepository;
    outbox: OutboxRepository;
    pacts: PactRepository;
    passwordLinks: PasswordLinkRepository;
    personalTraces: PersonalTracesRepository;
    posts: PostRepository;
    reminders: ReminderRepository;
    rosterImports: RosterImportRepository;
    scans: ScanRepository;
    seal: InstanceSeal;
    sessions: SessionRepository;
    settings: SettingsRepository;
    signatures: SignatureRepository;
    timeZone: TimeZone;
    units: UnitRepository;
    unitTimeZones: UnitZoneLookup;
    users: UserRepository;
  },
  { mailer, reminders }: { mailer: Mailer; reminders: ReminderSender },
  config: Config,
): Router {
  const router = Router();
  router.use(requireRole('admin', 'operator'));

  router.get('/', async (req, res) => {
    const isAdmin = req.user?.role === 'admin';
    const { unit, stats, compliance } = await adminDashboard(
      services,
      req.user as User,
      services.clock.now(),
    );
    renderAdminPage(res, 'admin/index', {
      // Titled for the role: an operator's dashboard is about their own unit (and the units under it).
      title: isAdmin
        ? res.locals.t('admin.title')
        : unit
          ? res.locals.t('admin.title_operator', { unit: unit.name })
          : res.locals.t('admin.title_operator_no_unit'),
      unit,
      stats,
      compliance,
      now: services.clock.now(),
      // The audit log is admin-only (it holds IP addresses of every user).
      recentEvents: isAdmin ? await services.audit.recent(10) : [],
      isAdmin,
    });
  });

  router.use('/pakta', pactAdminRoutes(services, reminders));
  router.use('/kesepakatan', agreementAdminRoutes(services));
  router.use('/audit', auditAdminRoutes(services));
  router.use('/pengaturan', settingsAdminRoutes(services));
  router.use('/unit', unitAdminRoutes(services));
  router.use('/pengguna/impor', rosterImportRoutes(services, mailer, config));
  // After /pengguna/impor (if mounted): '/impor' would otherwise be read as a user id.
  router.use('/pengguna', anonymiseRoutes(services));
  router.use('/pengguna', userAdminRoutes(services, mailer, config));
  router.use('/surat-aktivasi', letterRoutes(services, config));
  router.use('/berita', newsAdminRoutes(services, config));
  router.use('/kepatuhan', exemptionRoutes(services));
  router.use('/kepatuhan', paperRoutes(services));
  router.use('/kepatuhan', complianceAdminRoutes(services, reminders));
  router.use('/ledger', ledgerAdminRoutes(services));
  router.use('/outbox', outboxAdminRoutes(services, mailer));

  return router;
}
