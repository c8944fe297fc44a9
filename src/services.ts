import type { Clock } from './core/clock.js';
import type { SealP12 } from './core/seal-p12.js';
import type { TimeZone } from './core/time-zone.js';
import type { Db } from './db/database.js';
import { createRepositories } from './repositories.js';
import { createRuntime } from './runtime.js';
import { instanceSeal } from './seal/instance-seal.js';

/**
 * Everything the app is built from, for the composition root (app, server, startup) and the tests: the database,
 * the clock, the instance's time zone (config.timeZone: never defaulted, so that nothing falls back to Jakarta
 * unnoticed), what is stored (repositories) and what runs (caches, queues, held-back writes). Routers and
 * operations never import this type: each declares the narrow slice it uses, and is handed this whole object.
 */
export function createServices(
  db: Db,
  clock: Clock,
  timeZone: TimeZone,
  options: { sealP12?: SealP12 | undefined } = {},
) {
  const repositories = createRepositories(db);
  const runtime = createRuntime(db, repositories, clock);
  return {
    db,
    clock,
    timeZone,
    ...repositories,
    ...runtime,
    /** The instance's seal on the PDFs it issues (config.sealP12, or a certificate it keeps itself). */
    seal: instanceSeal(
      {
        db,
        clock,
        sealCertificates: repositories.sealCertificates,
        instanceSettings: runtime.instanceSettings,
      },
      options.sealP12,
    ),
  };
}

export type Services = ReturnType<typeof createServices>;
