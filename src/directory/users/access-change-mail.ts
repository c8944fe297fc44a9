import type { Mailer, MailMessage } from '../../mail/mailer.js';
import { translatorFor } from '../../web/i18n.js';
import type { AccessChangeNotice } from './save-user.js';

/**
 * The mail that tells a person, at the address that was on file, that their email or NIP changed: in their language
 * (as they chose it, else Indonesian).
 */
export function accessChangeMail(options: { notice: AccessChangeNotice; instanceName: string }): MailMessage {
  const { notice } = options;
  const t = translatorFor(notice.language);
  const params = {
    name: notice.fullName,
    instance: options.instanceName,
    fields: t(`mail.access_changed.fields.${notice.fields.join('_')}`),
    email: notice.newEmail ?? t('mail.access_changed.no_email'),
  };
  return {
    kind: 'access_changed',
    to: notice.oldEmail,
    subject: t('mail.access_changed.subject', params),
    text: t('mail.access_changed.body', params),
  };
}

/**
 * Mails every notice of a committed change, one after another. A failed send is recorded in the outbox by the
 * mailer, where an admin sees it; the promise rejects only when even that record cannot be written.
 */
export async function sendAccessChangeNotices(
  mailer: Mailer,
  notices: readonly AccessChangeNotice[],
  options: { instanceName: string },
): Promise<void> {
  for (const notice of notices) await mailer.send(accessChangeMail({ ...options, notice }));
}
