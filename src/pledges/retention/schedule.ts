import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { TimeZone } from '../../core/time-zone.js';
import { type RetentionRun, removeExpiredImages } from './remove-expired-images.js';

/** Nightly, at 02:30 on the instance's clocks: after the day's signings, before the morning's reminders. */
const NIGHTLY = '30 2 * * *';

export interface RetentionSchedule {
  /** Starts the nightly run (nothing runs at once: a restart does not wait for a job that can wait a night). */
  start(): void;
  /** No more runs; resolves when the run in progress has ended. */
  stop(): Promise<void>;
}

/**
 * The nightly retention job in this process (removeExpiredImages). In cluster mode only one worker runs it (see
 * config.nightlyJobs); on PostgreSQL, of several app nodes only one runs it each night (removeExpiredImages' lock).
 */
export function retentionSchedule(
  services: Parameters<typeof removeExpiredImages>[0] & { timeZone: TimeZone },
  logger: Logger,
): RetentionSchedule {
  let job: Cron | null = null;
  let running: Promise<RetentionRun | undefined> | null = null;
  const run = () => {
    running ??= removeExpiredImages(services)
      .then((done) => {
        if (done.removed > 0) logger.info(done, 'drawn signatures deleted under the retention rule');
        return done;
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'retention job failed; the next night tries again');
        return undefined;
      })
      .finally(() => {
        running = null;
      });
  };
  return {
    start() {
      job ??= new Cron(NIGHTLY, { timezone: services.timeZone.id }, run);
    },
    async stop() {
      job?.stop();
      job = null;
      await running;
    },
  };
}
