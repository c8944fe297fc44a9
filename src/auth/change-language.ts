import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { Language } from '../web/i18n.js';

/**
 * Stores the language a signed-in person chose with the switch, which their pages (on a browser without the switch's
 * cookie) and every mail to them then follow. Audited with what it was; choosing the language already stored changes
 * nothing and records nothing.
 */
export async function changeLanguage(
  services: { db: Db; users: UserRepository; audit: AuditRepository; clock: Clock },
  options: { userId: number; language: Language; actor: Actor },
): Promise<void> {
  await inTransaction(services.db, async () => {
    const user = await services.users.findById(options.userId);
    if (!user || user.language === options.language) return;
    const at = services.clock.now();
    await services.users.setLanguage(user.id, options.language, at);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'account.language_changed',
      target: { type: 'user', id: user.id },
      details: { from: user.language, to: options.language },
      at,
    });
  });
}
