import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { createApp, createAppMail } from './app.js';
import type { Config } from './core/config.js';
import { databaseLabel } from './db/database.js';
import { retentionSchedule } from './pledges/retention/schedule.js';
import { reminderScheduler } from './reminders/scheduler.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/demo.js';
import { prepareDatabase } from './startup.js';

const SHUTDOWN_GRACE_MS = 10_000;
/** How often post views and session expiry times are written (see writeBehind): one short transaction each. */
const BUFFER_FLUSH_MS = 10_000;

export interface RunningServer {
  server: Server;
  /** The port actually listened on (differs from config.port when that is 0). */
  port: number;
  /**
   * Stops accepting connections, lets requests in flight finish (up to 10 s), writes the post views counted so far,
   * then closes the database.
   */
  shutdown: (reason: string) => Promise<void>;
}

/** What `npm start` prints: where the app is and, in demo mode, how to log in. */
export function startBanner(
  config: Config,
  port: number,
  state: { demoJustSeeded: boolean; hasUsers: boolean; workers?: number },
): string {
  const url = config.baseUrl.replace(`:${config.port}`, `:${port}`);
  const processes = state.workers && state.workers > 1 ? `, ${state.workers} proses` : '';
  return [
    '',
    `Ikrar berjalan di ${url}  (basis data: ${databaseLabel(config)}${processes})`,
    ...(config.demo
      ? [
          `Akun demo${state.demoJustSeeded ? ' (baru dibuat)' : ''}, kata sandi semuanya "${DEMO_PASSWORD}":`,
          ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(22)} ${a.fullName.padEnd(22)} ${a.note}`),
        ]
      : []),
    ...(state.hasUsers
      ? []
      : ['Belum ada akun: buat admin pertama dengan "npm run create-admin -- --help".']),
    'Hentikan dengan Ctrl+C.',
    '',
  ].join('\n');
}

/** Opens, migrates and (in demo mode) seeds the database, then listens. */
export async function startServer(
  config: Config,
  logger: Logger,
  print = console.log,
): Promise<RunningServer> {
  const { db, services, demo } = await prepareDatabase(config, logger);
  const mail = createAppMail(services, config, logger);
  const app = await createApp({ services, config, logger, mail });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (err?: Error) =>
      err ? reject(err) : resolve(listening),
    );
  });
  const port = (server.address() as AddressInfo).port;
  // Post views and sessions' expiry times are written in batches (see writeBehind).
  const flushBuffered = async () => {
    for (const [what, buffer] of [
      ['post views', services.postViews],
      ['session expiry times', services.sessionTouches],
    ] as const) {
      try {
        await buffer.flush();
      } catch (err) {
        logger.error({ err }, `${what} not written yet: kept for the next try`);
      }
    }
  };
  const bufferFlusher = setInterval(() => void flushBuffered(), BUFFER_FLUSH_MS).unref();
  const scheduler = reminderScheduler(mail.reminders, { sendHour: config.reminderHour, logger });
  if (config.reminders) scheduler.start();
  const retention = retentionSchedule(services, logger);
  if (config.nightlyJobs) retention.start();
  print(
    startBanner(config, port, {
      demoJustSeeded: demo !== null,
      hasUsers: (await services.users.count()) > 0,
    }),
  );

  let stopped: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      logger.info({ reason }, 'shutting down: finishing requests in flight');
      // Now, in case the process is killed before the last connection closes; and again once it has.
      const firstFlush = flushBuffered();
      // Live boards' streams never end by themselves: end them, and their browsers reconnect elsewhere or later.
      services.liveBoard.closeAll();
      // Reminders stop before their next batch; mails claimed and not sent are taken over after their lease.
      mail.reminders.stop();
      const remindersStopped = Promise.all([scheduler.stop(), mail.reminders.idle(), retention.stop()]);
      const force = setTimeout(() => {
        logger.warn('requests still open after the grace period: closing them');
        server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      server.close(async () => {
        clearTimeout(force);
        clearInterval(bufferFlusher);
        await firstFlush;
        await flushBuffered();
        // Mail in flight is recorded before the database closes (the mailer's timeouts are shorter than this wait);
        // one still unfinished after it stays "being sent" and is never sent again.
        await Promise.race([remindersStopped, delay(SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
        mail.mailer.close();
        await db.close();
        logger.info('stopped');
        resolve();
      });
      server.closeIdleConnections();
    });
    return stopped;
  };
  return { server, port, shutdown };
}
