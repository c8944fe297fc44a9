import type { Db } from '../db/database.js';
import type { AuditAction } from './actions.js';

export interface AuditEventInput {
  at: string;
  actorUserId: number | null;
  ip: string | null;
  userAgent: string | null;
  action: AuditAction;
  targetType: string | null;
  targetId: string | null;
  details: string;
}

export interface AuditEvent extends Omit<AuditEventInput, 'details'> {
  id: number;
  actorName: string | null;
  details: Record<string, unknown>;
}

interface AuditEventRow {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_name: string | null;
  ip: string | null;
  user_agent: string | null;
  action: AuditAction;
  target_type: string | null;
  target_id: string | null;
  details: string;
}

export function auditRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit_events (at, actor_user_id, ip, user_agent, action, target_type, target_id, details)
     VALUES (@at, @actorUserId, @ip, @userAgent, @action, @targetType, @targetId, @details)`,
  );
  const recent = db.prepare<[number], AuditEventRow>(
    `SELECT a.*, u.full_name AS actor_name FROM audit_events a
     LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.id DESC LIMIT ?`,
  );
  const forTarget = db.prepare<[string, string], AuditEventRow>(
    `SELECT a.*, u.full_name AS actor_name FROM audit_events a
     LEFT JOIN users u ON u.id = a.actor_user_id WHERE a.target_type = ? AND a.target_id = ? ORDER BY a.id`,
  );
  const toEvent = (row: AuditEventRow): AuditEvent => ({
    id: row.id,
    at: row.at,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    ip: row.ip,
    userAgent: row.user_agent,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  });
  return {
    insert: (event: AuditEventInput): void => {
      insert.run(event);
    },
    recent: (limit: number): AuditEvent[] => recent.all(limit).map(toEvent),
    forTarget: (targetType: string, targetId: string): AuditEvent[] =>
      forTarget.all(targetType, targetId).map(toEvent),
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
