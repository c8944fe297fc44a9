import type { Db } from '../db/database.js';

export type LinkPurpose = 'invitation' | 'reset';

export interface PasswordLink {
  id: number;
  userId: number;
  purpose: LinkPurpose;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

interface LinkRow {
  id: number;
  user_id: number;
  purpose: LinkPurpose;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export function passwordLinkRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO password_links (user_id, purpose, token_sha256, created_at, expires_at, created_by)
     VALUES (@userId, @purpose, @tokenSha256, @createdAt, @expiresAt, @createdBy)`,
  );
  const byHash = db.prepare<[string], LinkRow>(
    'SELECT id, user_id, purpose, created_at, expires_at, used_at FROM password_links WHERE token_sha256 = ?',
  );
  const use = db.prepare('UPDATE password_links SET used_at = @at WHERE id = @id AND used_at IS NULL');
  const latest = db
    .prepare<[number], string>('SELECT max(created_at) FROM password_links WHERE user_id = ?')
    .pluck();
  const retire = db.prepare(
    'UPDATE password_links SET used_at = @at WHERE user_id = @userId AND used_at IS NULL',
  );
  return {
    insert: (link: {
      userId: number;
      purpose: LinkPurpose;
      tokenSha256: string;
      createdAt: string;
      expiresAt: string;
      createdBy: number | null;
    }): number => Number(insert.run(link).lastInsertRowid),
    findByHash: (tokenSha256: string): PasswordLink | undefined => {
      const row = byHash.get(tokenSha256);
      return (
        row && {
          id: row.id,
          userId: row.user_id,
          purpose: row.purpose,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          usedAt: row.used_at,
        }
      );
    },
    /** Marks a link used; false when it was used already (so a link works once, even with two tabs). */
    use: (id: number, at: Date): boolean => use.run({ id, at: at.toISOString() }).changes > 0,
    /** When the user's newest link was made, if any. */
    latestCreatedAt: (userId: number): string | null => latest.get(userId) ?? null,
    /** Retires every unused link of a user (a newer one is issued, the password or email changed, or disabled). */
    retireAll: (userId: number, at: Date): number => retire.run({ userId, at: at.toISOString() }).changes,
  };
}

export type PasswordLinkRepository = ReturnType<typeof passwordLinkRepository>;
