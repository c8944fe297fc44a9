import type { Logger } from 'pino';
import { type Clock, systemClock } from './core/clock.js';
import type { Config } from './core/config.js';
import { hashPassword } from './credentials/password.js';
import { type Db, openConfiguredDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { upgradeLedgerFormat } from './pledges/verification/ledger-upgrade.js';
import { DEMO_PASSWORD, type DemoSummary, seedDemo } from './seed/demo.js';
import { seedDemoPosts } from './seed/seed-demo-posts.js';
import { createServices, type Services } from './services.js';

export interface Prepared {
  db: Db;
  services: Services;
  demo: (DemoSummary & { posts: number }) | null;
}

/**
 * Opens and migrates the database, upgrades a ledger written before migration 028 (once; see ledger-upgrade.ts) and,
 * on an empty one when demo mode is on, seeds the demo data.
 */
export async function prepareDatabase(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Prepared> {
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const services = createServices(db, clock, config.timeZone, { sealP12: config.sealP12 });
  const upgrade = await upgradeLedgerFormat(services, clock);
  if (upgrade.upgraded) logger.info(upgrade.upgrade, 'ledger upgraded to format 2');
  // The app runs on: the ledger check shows the broken chain, and anonymising is refused while old entries remain.
  else if (upgrade.reason === 'refused')
    logger.error(
      { problem: upgrade.problem },
      'ledger not upgraded to format 2: its old chain does not verify',
    );
  let demo: Prepared['demo'] = null;
  if (config.demo && config.production) {
    logger.warn(
      'IKRAR_DEMO=1 in production: demo accounts with a published password exist; never use it for real data',
    );
  }
  if (config.demo && (await services.users.count()) === 0) {
    const seeded = await seedDemo(services, await hashPassword(DEMO_PASSWORD), { baseUrl: config.baseUrl });
    demo = { ...seeded, posts: await seedDemoPosts(services) };
    logger.info(demo, 'demo data seeded');
  }
  // The seal's certificate is made on the first start (after the demo seed, so that it bears the demo's name).
  const seal = await services.seal.ready();
  logger.info(
    { fingerprint: seal.fingerprint, subject: seal.subject, source: seal.source },
    'seal certificate',
  );
  return { db, services, demo };
}
