import { createLogger } from '../../src/core/logger.js';
import { createMailer, type Mailer, type MailMessage } from '../../src/mail/mailer.js';
import { reminderScheduler } from '../../src/reminders/scheduler.js';
import { createReminderSender } from '../../src/reminders/send-reminders.js';
import type { Services } from '../../src/services.js';

export const TEST_BASE_URL = 'https://ikrar.uji.test';

/**
 * A reminder sender (and its scheduler, sending at `sendHour` on the clocks of services.timeZone) on these services, mailing over SMTP at `mail` (a
 * URL), through `mail` itself (a Mailer), or to the outbox (undefined).
 */
export function reminderSenderFor(services: Services, mail?: string | Mailer, sendHour = 8) {
  const logger = createLogger('silent');
  const mailer =
    typeof mail === 'object'
      ? mail
      : createMailer({
          smtpUrl: mail,
          from: 'Ikrar <no-reply@uji.test>',
          outbox: services.outbox,
          clock: services.clock,
          logger,
        });
  const sender = createReminderSender({ services, mailer, baseUrl: TEST_BASE_URL });
  return { sender, scheduler: reminderScheduler(sender, { sendHour, logger }) };
}

/** A mailer whose sends are recorded at once and complete only when `release()` is called (or never). */
export function heldMailer() {
  const started: MailMessage[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const mailer: Mailer = {
    delivers: true,
    close: () => {},
    async send(message) {
      started.push(message);
      await gate;
      return true;
    },
  };
  return { mailer, started, release };
}
