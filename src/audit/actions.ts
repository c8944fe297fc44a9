/**
 * Every kind of audited event, a closed list so that reports and filters can rely on it.
 * Later features add their own (pact.opened, signature.created, …) here.
 */
export const AUDIT_ACTIONS = [
  'login.succeeded', // a user logged in
  'login.failed', // wrong password, unknown account, disabled or locked account
  'login.rate_limited', // an IP address exceeded the failed-login limit
  'login.sso_succeeded', // a user logged in (or proved again who they are) through the SSO provider
  'login.sso_failed', // an SSO login was refused: provider down or refusing, bad answer, unknown or disabled account
  'account.locked', // too many failed logins: the account is locked for a while
  'logout', // a user logged out
  'password.changed', // a user changed their own password
  'account.language_changed', // a signed-in user chose the language of their pages and mails (from, to)
  'password.link_issued', // an invitation or reset link was made (by an admin, an operator, an import or the user)
  'password.reset_requested', // someone asked for a reset link on the forgot-password form
  'password.set_by_link', // a password was set through an invitation or reset link
  'activation.letters_printed', // an admin or operator printed a run of activation letters (how many, for whom)
  'activation.letter_printed', // an activation letter with a new code was printed for a person (older codes died)
  'activation.failed', // a NIP and activation code did not open an account (the reason is kept here only)
  'activation.rate_limited', // an address or a NIP exceeded the limit of failed activation attempts
  'account.activated', // a person set their first password with the code of an activation letter
  'password.change_refused', // a password change gave a wrong current password (counts towards the lockout)
  'user.created', // an account was created (by the CLI, an admin or an import)
  'user.updated', // an admin or operator changed someone's record
  'user.disabled', // an account was disabled (its sessions ended at once)
  'user.enabled', // a disabled account was enabled again
  'user.anonymised', // an admin anonymised a person who left: name replaced, NIP kept as a keyed hash, contact gone
  'roster.previewed', // a roster file was read and its preview kept, uploaded or checked again (its name, counts)
  'roster.refused', // an uploaded roster file was refused (the reason, its name and size; never its content)
  'roster.imported', // an admin or operator applied a roster import (counts; each person has their own event)
  'pact.created', // an admin drafted a pact (or a new version of one)
  'pact.updated', // an admin changed a draft
  'pact.opened', // a draft was opened for signing; its body is frozen
  'pact.closed', // signing ended (by an admin, or because a newer version opened)
  'pact.revised', // a new draft version of an open pact was made
  'pact.deadline_extended', // an admin moved an open pact's deadline later, with a reason
  'pact.archived', // an admin published a pact of a past period as an archive (closed, filled in on paper)
  'pact.ceremony_set', // an admin set, moved or cleared the ceremony (ikrar bersama) of an opened pact
  'agreement.created', // an admin drafted a unit agreement (NPHD and the like)
  'agreement.updated', // an admin changed a unit agreement's title, description, scope or deadline (before and after)
  'agreement.opened', // a unit agreement was made public: its page, the home card and the API
  'agreement.closed', // a unit agreement was closed: still public, its records final
  'agreement.record_set', // an admin recorded or corrected a unit's agreement (the record before and after)
  'exemption.created', // an admin or operator excused a person from a pact (reason, from, until)
  'exemption.lifted', // an admin or operator lifted an exemption: the person must sign again
  'signature.created', // someone signed a pact
  'signature.voided', // an admin voided a signature, with a reason
  'signature.paper_recorded', // an operator or admin recorded that a person signed on paper (day, place, witness, scan)
  'signature.image_viewed', // an admin opened someone else's receipt with their drawn signature (page or PDF)
  'signature.images_removed', // the nightly retention job deleted the drawings of pacts closed long ago (how many, per batch)
  'report.people_exported', // a compliance export with people's names and NIPs was downloaded (DOMAIN.md: PDP law)
  'account.data_exported', // a person downloaded everything Ikrar holds about them (/akun/data.json or .pdf)
  'reminder.requested', // an admin or operator sent a reminder to the outstanding signers of a unit or of all units
  'reminder.scheduled', // the scheduler started a reminder slot of a pact (and escalations after the deadline)
  'signing.password_refused', // a wrong password when confirming it before signing (counts towards the lockout)
  'ledger.checked', // an admin recomputed the ledger chain
  'unit.created', // an admin added a unit
  'unit.updated', // an admin changed a unit's code, name, kind or own time zone
  'unit.moved', // an admin gave a unit a new parent (its subtree moved with it)
  'unit.deactivated', // an admin deactivated a unit without active users or active child units
  'unit.reactivated', // an admin reactivated a unit
  'unit.head_set', // an admin or the unit's operator chose (or cleared) the unit's head
  'unit.reference_loaded', // an admin loaded a reference set of units (e.g. the 35 kabupaten/kota)
  'settings.updated', // an admin changed the instance settings (name, address, contact, place)
  'post.created', // an admin or operator wrote a news post or announcement (as a draft, or published by an admin)
  'post.updated', // a post was changed without changing whether it is published
  'post.published', // an admin published a draft (now or scheduled)
  'post.unpublished', // an admin took a published post back to draft
  'post.deleted', // an admin deleted a post
  'post.image_uploaded', // a cover image was uploaded, checked and stored
  'scan.stored', // a scan of signed paper (a signing sheet, a unit agreement) was checked and stored
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
