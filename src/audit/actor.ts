import type { Request } from 'express';
import type { Actor } from './record-event.js';

/** Who is acting, for the audit log: the logged-in user (if any), their IP (per TRUST_PROXY) and user agent. */
export const actorOf = (req: Request): Actor => ({
  userId: req.user?.id ?? null,
  ip: req.ip ?? null,
  userAgent: req.get('user-agent') ?? null,
});
