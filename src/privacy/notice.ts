import type { InstanceSettings } from '../settings/instance.js';
import type { Translate } from '../web/i18n.js';
import { renderMarkdown } from '../web/markdown.js';

/** What the privacy notice (/privasi) says of this instance: its settings, a blank one read as the instance's own. */
export interface PrivacyNotice {
  /** Who controls the data (pengendali data). */
  controller: string;
  /** The data protection officer (pejabat pelindungan data pribadi) and how to reach them; blank parts left out. */
  officer: { name: string; email: string; address: string; phone: string };
  /** How many years a drawn signature is kept after its pact closes (the retention rule). */
  retentionYears: number;
  /** The agency's own section, rendered and sanitised; null when it wrote none. */
  extraHtml: string | null;
}

/**
 * The agency's section as HTML, rendered once per text: within its limit a section may take marked a second to parse
 * (it passed the time limit when saved), and signed-in readers are not served from the page cache.
 */
let rendered: { markdown: string; html: string } | null = null;
function extraHtml(markdown: string): string | null {
  if (markdown.trim() === '') return null;
  if (rendered?.markdown !== markdown) rendered = { markdown, html: renderMarkdown(markdown) };
  return rendered.html;
}

export function privacyNotice(instance: InstanceSettings, t: Translate): PrivacyNotice {
  const controller = instance.privacyController.trim() || instance.name;
  return {
    controller,
    officer: {
      name: instance.privacyOfficer.trim() || t('privacy.officer_default', { controller }),
      email: instance.privacyOfficerEmail.trim() || instance.email.trim(),
      address: instance.privacyOfficerAddress.trim() || instance.address.trim(),
      phone: instance.phone.trim(),
    },
    retentionYears: instance.signatureRetentionYears,
    // Checked to render in time when an admin saved it (src/settings/routes.ts).
    extraHtml: extraHtml(instance.privacyExtra),
  };
}
