import type { User } from '../directory/types.js';
import type { MailMessage } from '../mail/mailer.js';
import { translatorFor } from '../web/i18n.js';
import type { LinkPurpose } from './password-link-repository.js';

/** The mail that carries an invitation or reset link, in the person's language (as they chose it, else Indonesian). */
export function passwordLinkMail(options: {
  user: Pick<User, 'fullName' | 'email' | 'language'>;
  purpose: LinkPurpose;
  baseUrl: string;
  token: string;
  instanceName: string;
}): MailMessage & { link: string } {
  const link = `${options.baseUrl}/atur-kata-sandi/${options.token}`;
  const key = options.purpose === 'invitation' ? 'mail.invitation' : 'mail.reset';
  const params = {
    name: options.user.fullName,
    instance: options.instanceName,
    link,
    loginUrl: `${options.baseUrl}/masuk`,
  };
  const t = translatorFor(options.user.language);
  return {
    kind: options.purpose,
    to: options.user.email ?? '',
    subject: t(`${key}.subject`, params),
    text: t(`${key}.body`, params),
    link,
  };
}
