import { Cron } from 'croner';
import type { Logger } from 'pino';
import { deliverRun, type ReminderSender, startScheduledRun, takeOverAbandoned } from './send-reminders.js';
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
 * several, and a restart picks up where the last process stopped. On PostgreSQL only one node decides at a time
 * (see pass); the claims still guard every mail.
 */
export function reminderScheduler(
  sender: ReminderSender,
  options: { sendHour: number; logger: Logger },
): ReminderScheduler {
  const { services } = sender;
  let running: Promise<void> | null = null;
  let job: Cron | null = null;

  /** What is due and what was abandoned, claimed for this process; returns the runs to deliver. */
  const decide = async (): Promise<number[]> => {
    const runs = await takeOverAbandoned(sender);
    for (const pact of await services.pacts.listByStatus('open')) {
      if (sender.stopped) break;
      const due = dueSlot(pact, services.clock.now(), options.sendHour, services.timeZone);
      if (!due) continue;
      const runId = await startScheduledRun(sender, pact, due);
      if (runId === undefined) continue;
      options.logger.info(
        { pact: pact.id, slot: due.slot, dueAt: due.dueAt, run: runId },
        'reminder slot started',
      );
      runs.push(runId);
    }
    return runs;
  };

  // Deciding runs on one app node at a time (PostgreSQL: reminders.asTheOnlyScheduler; a node that finds another
  // deciding skips its tick); sending does not: each node sends what it claimed, so a node stuck on a slow mail
  // server holds up nobody else's ticks, and its mails are taken over after their lease like those of a node that
  // died.
  const pass = async () => {
    let runs: number[] = [];
    const ran = await services.reminders.asTheOnlyScheduler(async () => {
      runs = await decide();
    });
    if (!ran) options.logger.debug('reminder pass skipped: another node is deciding the schedule');
    for (const runId of [...new Set(runs)]) {
      if (sender.stopped) return;
      await deliverRun(sender, runId);
    }
  };

  const tick = (): Promise<void> => {
    // One pass at a time in this process: a long one (thousands of mails) simply delays the next tick.
    running ??= pass()
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
