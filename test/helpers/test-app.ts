import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/core/clock.js';
import { type Config, loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import type { Db } from '../../src/db/database.js';
import { createServices, type Services } from '../../src/services.js';
import { type Factories, factories } from './factories.js';
import { startSmtpServer } from './smtp.js';
import { openMigratedDatabase } from './template-database.js';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}

export interface TestApp {
  app: Express;
  db: Db;
  services: Services;
  clock: TestClock;
  config: Config;
  make: Factories;
  close: () => Promise<void>;
}

/**
 * The real app on a fresh, migrated, empty database in a temporary folder. `env` overrides environment settings,
 * e.g. `{ LOGIN_RATE_LIMIT: '3' }` or `{ TIME_ZONE: 'Asia/Makassar' }`. Call `close()` when done (afterEach).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-test-'));
  const path = join(dir, 'ikrar.sqlite');
  const { db, release, location } = await openMigratedDatabase(path, inject('testDatabase'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: path,
    // What opens "the configured database" (the command-line tools) reaches this test's own.
    ...location,
    // High enough that ordinary tests never meet the login rate limit; its own test lowers it.
    LOGIN_RATE_LIMIT: '1000',
    VERIFY_RATE_LIMIT: '1000',
    VERIFY_UPLOAD_RATE_LIMIT: '1000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const clock = new TestClock();
  const services = createServices(db, clock, config.timeZone, { sealP12: config.sealP12 });
  const app = await createApp({ services, config, logger: createLogger(config.logLevel) });
  return {
    app,
    db,
    services,
    clock,
    config,
    make: factories(services),
    close: async () => {
      await release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type MailingTestApp = Omit<TestApp, 'close'> & {
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  close: () => Promise<void>;
};

/** The test app mailing through a real SMTP server on a free local port (`smtp`); `close()` stops both. */
export async function createMailingTestApp(env: Record<string, string> = {}): Promise<MailingTestApp> {
  const smtp = await startSmtpServer();
  const t = await createTestApp({ SMTP_URL: smtp.url, BASE_URL: 'http://ikrar.uji', ...env });
  return {
    ...t,
    smtp,
    close: async () => {
      await t.close();
      await smtp.close();
    },
  };
}
