import type { Request, RequestHandler, Response } from 'express';
import { type AugmentedRequest, rateLimit } from 'express-rate-limit';
import type { AuditAction } from '../audit/actions.js';
import { actorOf } from '../audit/actor.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { keptValues } from '../web/forms.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import { renderLoginPage } from './login-page.js';

type LimitServices = { audit: AuditRepository; clock: Clock; rateLimits: RateLimits };

/**
 * Limits failed attempts at a way in (a login, an activation code), per IP address unless `keyOf` names another
 * key. Only failures count (successes, and answers that the way in cannot be tried now, are skipped): a whole office often shares one NAT address, and a morning of
 * colleagues logging in must not lock each other out. Crossing the limit is audited as `action` once, not every
 * refused request after it: a flood of refused requests must not become a flood of writes.
 */
export function failureRateLimit(
  services: LimitServices,
  options: {
    /** Names the limiter's counters (two limiters never count each other's requests). */
    prefix: string;
    limit: number;
    windowMs: number;
    action: AuditAction;
    keyOf?: (req: Request) => string;
    details?: Record<string, unknown>;
    refuse: (req: Request, res: Response) => void;
  },
): RequestHandler {
  const { limit, windowMs } = options;
  return rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true,
    // A way in that could not be tried (the SSO provider unreachable, 503) is nobody's failed attempt: an office
    // must not lose its password logins to an outage of the provider.
    requestWasSuccessful: (_req, res) => res.statusCode < 400 || res.statusCode === 503,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...services.rateLimits(options.prefix),
    ...(options.keyOf ? { keyGenerator: options.keyOf } : {}),
    handler: async (req, res) => {
      if ((req as AugmentedRequest).rateLimit?.used === limit + 1) {
        await recordEvent(services.audit, {
          actor: actorOf(req),
          action: options.action,
          details: { ...options.details, limit, windowMinutes: windowMs / 60_000 },
          at: services.clock.now(),
        });
      }
      options.refuse(req, res);
    },
  });
}

/** Limits failed logins per IP address (see failureRateLimit). */
export const loginRateLimit = (services: LimitServices, limit: number, windowMs: number): RequestHandler =>
  failureRateLimit(services, {
    prefix: 'login',
    limit,
    windowMs,
    action: 'login.rate_limited',
    refuse: (req, res) => {
      const { username, next } = keptValues(req.body, ['username', 'next']);
      renderLoginPage(res, 429, {
        values: { username: username ?? '' },
        next,
        failure: 'login.rate_limited',
      });
    },
  });
