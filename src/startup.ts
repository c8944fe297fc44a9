import type { Logger } from 'pino';
import { type Clock, systemClock } from './core/clock.js';
import type { Config } from './core/config.js';
import { hashPassword } from './credentials/password.js';
import { type Db, openConfiguredDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { DEMO_PASSWORD, type DemoSummary, seedDemo } from './seed/demo.js';
import { seedDemoPosts } from './seed/seed-demo-posts.js';
import { createServices, type Services } from './services.js';

export interface Prepared {
  db: Db;
  services: Services;
  demo: (DemoSummary & { posts: number }) | null;
}

/** Opens and migrates the database and, on an empty one when demo mode is on, seeds the demo data. */
export async function prepareDatabase(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Prepared> {
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const services = createServices(db, clock, config.timeZone);
  let demo: Prepared['demo'] = null;
  if (config.demo && config.production) {
    logger.warn(
      'IKRAR_DEMO=1 in production: demo accounts with a published password exist; never use it for real data',
    );
  }
  if (config.demo && (await services.users.count()) === 0) {
    const seeded = await seedDemo(services, await hashPassword(DEMO_PASSWORD));
    demo = { ...seeded, posts: await seedDemoPosts(services) };
    logger.info(demo, 'demo data seeded');
  }
  return { db, services, demo };
}
