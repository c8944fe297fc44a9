import type { Actor } from '../../audit/record-event.js';
import { hasTakenOverAccount } from '../../credentials/account-access.js';
import { passwordLinkMail } from '../../credentials/password-link-mail.js';
import {
  type IssuedLink,
  issuePasswordLink,
  type PasswordLinkServices,
} from '../../credentials/password-links.js';
import { inTransaction } from '../../db/database.js';
import type { Mailer } from '../../mail/mailer.js';
import type { RosterImportRepository } from './repository.js';
import type { InvitationReport, RosterApplyResult } from './types.js';

// Links are issued this many at a time (one durable commit each), then mailed: a short pause for other requests
// rather than one long one, and no more secrets held in memory than one batch.
const BATCH = 500;
// The running count is written back at most this often (each write is a durable commit).
const REPORT_EVERY_MS = 1000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Invites the people an import added (after its transaction committed): invitation links issued a batch at a time
 * (each audited as `password.link_issued`), one mail each, in turn, yielding to other requests between mails (the
 * outbox mailer does its work synchronously). Only active people who have an email and have not taken their
 * account over are invited. The running count (sent, kept in the outbox, failed) is kept on the import, so that a
 * long run can be followed on its page while it goes on after the response.
 */
export async function sendRosterInvitations(
  services: PasswordLinkServices & { rosterImports: RosterImportRepository },
  mailer: Mailer,
  options: {
    importId: number;
    result: RosterApplyResult;
    userIds: readonly number[];
    actor: Actor;
    baseUrl: string;
    instanceName: string;
  },
): Promise<InvitationReport> {
  const imports = services.rosterImports;
  const report: InvitationReport = {
    total: options.userIds.length,
    sent: 0,
    kept: 0,
    failed: 0,
    noEmail: options.result.createdWithoutEmail,
    done: false,
  };
  let savedAt = 0;
  const save = async (force = false) => {
    if (!force && Date.now() - savedAt < REPORT_EVERY_MS) return;
    await imports.setResult(options.importId, { ...options.result, invitations: { ...report } });
    savedAt = Date.now();
  };
  await save(true);
  for (let start = 0; start < options.userIds.length; start += BATCH) {
    const batch = options.userIds.slice(start, start + BATCH);
    // One commit for the batch; each link reads the person afresh: someone may have set a password, lost their
    // email or been disabled since the import.
    const issued = await inTransaction(services.db, async () => {
      const links: IssuedLink[] = [];
      for (const userId of batch) {
        const link = await issuePasswordLink(services, {
          userId,
          actor: options.actor,
          permits: (user) => user.email !== null && !hasTakenOverAccount(user) && user.status === 'active',
        });
        if (link) links.push(link);
      }
      return links;
    });
    report.total -= batch.length - issued.length;
    for (const { user, token, purpose } of issued) {
      const mail = passwordLinkMail({
        user,
        purpose,
        baseUrl: options.baseUrl,
        token,
        instanceName: options.instanceName,
      });
      if (!(await mailer.send(mail))) report.failed += 1;
      else if (mailer.delivers) report.sent += 1;
      else report.kept += 1;
      await save();
      await nextTurn();
    }
  }
  report.done = true;
  await save(true);
  return report;
}
