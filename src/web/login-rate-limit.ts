import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { recordEvent } from '../audit/record-event.js';
import { actorOf } from '../auth/actor.js';
import type { Services } from '../services.js';

/**
 * Limits failed logins per IP address. Only failures count (successful logins are skipped): a whole office often
 * shares one NAT address, and a morning of colleagues logging in must not lock each other out.
 */
export function loginRateLimit(
  services: Pick<Services, 'audit' | 'clock'>,
  limit: number,
  windowMs: number,
): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      recordEvent(services.audit, {
        actor: actorOf(req),
        action: 'login.rate_limited',
        at: services.clock.now(),
      });
      res.status(429).render('auth/login', {
        title: res.locals.t('login.title'),
        values: { username: typeof req.body?.username === 'string' ? req.body.username : '' },
        next: typeof req.body?.next === 'string' ? req.body.next : '',
        errors: {},
        failure: 'login.rate_limited',
      });
    },
  });
}
