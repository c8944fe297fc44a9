import type { AuditAction } from './actions.js';
import type { AuditRepository } from './repository.js';

/** Who did it and from where: taken from the request by the web layer, or `systemActor` for CLI and jobs. */
export interface Actor {
  userId: number | null;
  ip: string | null;
  userAgent: string | null;
}

export const systemActor: Actor = { userId: null, ip: null, userAgent: null };

export interface AuditEventOptions {
  actor: Actor;
  action: AuditAction;
  target?: { type: string; id: string | number };
  details?: Record<string, unknown>;
  at: Date;
}

const MAX_USER_AGENT = 400;

/**
 * The one way to write audit events (one, or many of one change, such as a roster's new people, in one statement per
 * hundred). Call it inside the same transaction as the change it records, so that a change and its audit entries are
 * committed together or not at all.
 */
export function recordEvent(audit: AuditRepository, ...events: AuditEventOptions[]): Promise<void> {
  return audit.insert(
    ...events.map((options) => ({
      at: options.at.toISOString(),
      actorUserId: options.actor.userId,
      ip: options.actor.ip,
      userAgent: options.actor.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      action: options.action,
      targetType: options.target?.type ?? null,
      targetId: options.target ? String(options.target.id) : null,
      details: JSON.stringify(options.details ?? {}),
    })),
  );
}
