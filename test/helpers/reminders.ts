import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/mailer.js';
import { reminderScheduler } from '../../src/reminders/scheduler.js';
import { createReminderSender } from '../../src/reminders/send-reminders.js';
import type { Services } from '../../src/services.js';
import { createTranslator, loadCatalogue } from '../../src/web/i18n.js';

export const TEST_BASE_URL = 'https://ikrar.uji.test';

/** A reminder sender (and its scheduler, sending at 08.00 WIB) on these services, mailing over `smtpUrl` (or to the outbox). */
export function reminderSenderFor(services: Services, smtpUrl?: string) {
  const logger = createLogger('silent');
  const sender = createReminderSender({
    services,
    mailer: createMailer({
      smtpUrl,
      from: 'Ikrar <no-reply@uji.test>',
      outbox: services.outbox,
      clock: services.clock,
      logger,
    }),
    t: createTranslator(loadCatalogue('id')),
    baseUrl: TEST_BASE_URL,
  });
  return { sender, scheduler: reminderScheduler(sender, { sendHour: 8, logger }) };
}
