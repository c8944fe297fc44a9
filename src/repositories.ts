import { letterBatchRepository } from './activation/letter-batch-repository.js';
import { agreementRepository } from './agreements/repository.js';
import { auditRepository } from './audit/repository.js';
import { complianceRepository } from './compliance/compliance-repository.js';
import { peopleRepository } from './compliance/people-repository.js';
import { passwordLinkRepository } from './credentials/password-link-repository.js';
import { cacheEpochRepository } from './db/cache-epoch-repository.js';
import type { Db } from './db/database.js';
import { rateLimitRepository } from './db/rate-limit-repository.js';
import { personalTracesRepository } from './directory/anonymise/traces-repository.js';
import { rosterImportRepository } from './directory/roster/repository.js';
import { unitRepository } from './directory/unit-repository.js';
import { userRepository } from './directory/user-repository.js';
import { healthRepository } from './home/health-repository.js';
import { ledgerRepository } from './ledger/repository.js';
import { outboxRepository } from './mail/outbox-repository.js';
import { postRepository } from './news/post-repository.js';
import { exemptionRepository } from './pledges/exemptions/exemption-repository.js';
import { pactRepository } from './pledges/pact-repository.js';
import { signatureRepository } from './pledges/signature-repository.js';
import { reminderRepository } from './reminders/reminder-repository.js';
import { scanRepository } from './scans/scan-repository.js';
import { sealCertificateRepository } from './seal/seal-repository.js';
import { sessionRepository } from './sessions/session-repository.js';
import { settingsRepository } from './settings/repository.js';

/** What is stored: every repository, each a set of prepared statements on the one database. No I/O happens here. */
export function createRepositories(db: Db) {
  return {
    /** Unit agreements (NPHD and the like) and each unit's record, migration 025. */
    agreements: agreementRepository(db),
    audit: auditRepository(db),
    cacheEpochs: cacheEpochRepository(db),
    /** Per-unit compliance numbers (see migration 011). */
    complianceCounts: complianceRepository(db),
    /** Who, person by person, is required and has signed. */
    compliancePeople: peopleRepository(db),
    /** Who is excused from which pact (migration 023). */
    exemptions: exemptionRepository(db),
    health: healthRepository(db),
    ledger: ledgerRepository(db),
    /** Print runs of activation letters. */
    letterBatches: letterBatchRepository(db),
    outbox: outboxRepository(db),
    pacts: pactRepository(db),
    passwordLinks: passwordLinkRepository(db),
    /** What anonymising a person erases outside their record: mail, links, reminders, what others' records say. */
    personalTraces: personalTracesRepository(db),
    posts: postRepository(db),
    /** Rate-limit counters shared by app nodes (PostgreSQL deployments). */
    rateLimitCounters: rateLimitRepository(db),
    reminders: reminderRepository(db),
    rosterImports: rosterImportRepository(db),
    /** Scans of signed paper (signing sheets, unit agreements), migration 024. */
    scans: scanRepository(db),
    /** The certificates of the instance's seal, the active one and those retired (migration 027). */
    sealCertificates: sealCertificateRepository(db),
    sessions: sessionRepository(db),
    settings: settingsRepository(db),
    signatures: signatureRepository(db),
    units: unitRepository(db),
    users: userRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
