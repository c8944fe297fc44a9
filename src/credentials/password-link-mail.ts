import type { User } from '../directory/types.js';
import type { MailMessage } from '../mail/mailer.js';
import type { Translate } from '../web/i18n.js';
import type { LinkPurpose } from './password-link-repository.js';

/** The Indonesian mail that carries an invitation or reset link. */
export function passwordLinkMail(options: {
  t: Translate;
  user: Pick<User, 'fullName' | 'email'>;
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
  return {
    kind: options.purpose,
    to: options.user.email ?? '',
    subject: options.t(`${key}.subject`, params),
    text: options.t(`${key}.body`, params),
    link,
  };
}
