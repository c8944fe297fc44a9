import { Cron } from 'croner';
import type { Logger } from 'pino';
import { deliverAbandoned, deliverRun, type ReminderSender, startScheduledRun } from './send-reminders.js';
import { dueSlot } from './slots.js';

/** Every five minutes: a slot goes out within minutes of its hour, and a tick with nothing due reads a few rows. */
const TICK_PATTERN = '*/5 * * * *';

export interface ReminderScheduler {
  /** One pass: mails abandoned by a stopped process, then each open pact's due slot (if nobody started it yet). */
  tick(): Promise<void>;
  /** Ticks now (catching up after a restart) and then on the schedule. */
  start(): void;
  /** No more ticks; resolves when the pass in progress has ended (its sender should be stopped first). */
  stop(): Promise<void>;
}

/**
 * The in-process reminder schedule, on the clocks of the instance's time zone (the sender's services.timeZone).
 * Every process may run one: the database decides which process starts a slot (one run per pact, slot and day) and
 * which sends each mail (one row per person and slot), so a slot goes out once whether one process ticks or
 * several, and a restart picks up where the last process stopped. On PostgreSQL only one node's pass runs at a time
 * (reminders.asTheOnlyScheduler); the claims still guard every mail.
 */
export function reminderScheduler(
  sender: ReminderSender,
  options: { sendHour: number; logger: Logger },
): ReminderScheduler {
  const { services } = sender;
  let running: Promise<void> | null = null;
  let job: Cron | null = null;

  const pass = async () => {
    await deliverAbandoned(sender);
    for (const pact of await services.pacts.listByStatus('open')) {
      if (sender.stopped) return;
      const due = dueSlot(pact, services.clock.now(), options.sendHour, services.timeZone);
      if (!due) continue;
      const runId = await startScheduledRun(sender, pact, due);
      if (runId === undefined) continue;
      options.logger.info(
        { pact: pact.id, slot: due.slot, dueAt: due.dueAt, run: runId },
        'reminder slot started',
      );
      await deliverRun(sender, runId);
    }
  };

  const tick = (): Promise<void> => {
    // One pass at a time in this process: a long one (thousands of mails) simply delays the next tick. Across app
    // nodes (PostgreSQL) one at a time as well: a node that finds another's pass running skips its tick.
    running ??= services.reminders
      .asTheOnlyScheduler(pass)
      .then((ran) => {
        if (!ran) options.logger.debug('reminder pass skipped: another node is running the schedule');
      })
      .catch((err: unknown) => options.logger.error({ err }, 'reminder pass failed; the next tick retries'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    tick,
    start() {
      job ??= new Cron(TICK_PATTERN, { timezone: services.timeZone.id }, () => {
        void tick();
      });
      void tick();
    },
    async stop() {
      job?.stop();
      job = null;
      await running;
    },
  };
}
