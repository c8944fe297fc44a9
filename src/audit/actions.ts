/**
 * Every kind of audited event, a closed list so that reports and filters can rely on it.
 * Later features add their own (pact.opened, signature.created, …) here.
 */
export const AUDIT_ACTIONS = [
  'login.succeeded', // a user logged in
  'login.failed', // wrong password, unknown account, disabled or locked account
  'login.rate_limited', // an IP address exceeded the failed-login limit
  'account.locked', // too many failed logins: the account is locked for a while
  'logout', // a user logged out
  'password.changed', // a user changed their own password
  'password.change_refused', // a password change gave a wrong current password (counts towards the lockout)
  'user.created', // an account was created (by the CLI, an admin or an import)
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
