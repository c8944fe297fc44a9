import type { RequestHandler } from 'express';
import { type AugmentedRequest, rateLimit } from 'express-rate-limit';
import { actorOf } from '../audit/actor.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { keptValues } from '../web/forms.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import { renderLoginPage } from './login-page.js';

/**
 * Limits failed logins per IP address. Only failures count (successful logins are skipped): a whole office often
 * shares one NAT address, and a morning of colleagues logging in must not lock each other out.
 */
export function loginRateLimit(
  services: { audit: AuditRepository; clock: Clock; rateLimits: RateLimits },
  limit: number,
  windowMs: number,
): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...services.rateLimits('login'),
    handler: async (req, res) => {
      // Audit the moment an address crosses the limit, not every refused request after it: a flood of
      // refused requests must not become a flood of writes.
      if ((req as AugmentedRequest).rateLimit?.used === limit + 1) {
        await recordEvent(services.audit, {
          actor: actorOf(req),
          action: 'login.rate_limited',
          details: { limit, windowMinutes: windowMs / 60_000 },
          at: services.clock.now(),
        });
      }
      const { username, next } = keptValues(req.body, ['username', 'next']);
      renderLoginPage(res, 429, {
        values: { username: username ?? '' },
        next,
        failure: 'login.rate_limited',
      });
    },
  });
}
