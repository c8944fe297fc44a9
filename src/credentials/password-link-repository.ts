import { sql } from 'kysely';
import { type Db, firstRow, run } from '../db/database.js';

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
  return {
    insert: async (link: {
      userId: number;
      purpose: LinkPurpose;
      tokenSha256: string;
      createdAt: string;
      expiresAt: string;
      createdBy: number | null;
    }): Promise<number> => {
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO password_links (user_id, purpose, token_sha256, created_at, expires_at, created_by)
          VALUES (${link.userId}, ${link.purpose}, ${link.tokenSha256}, ${link.createdAt}, ${link.expiresAt},
                  ${link.createdBy})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    findByHash: async (tokenSha256: string): Promise<PasswordLink | undefined> => {
      const row = await firstRow(
        db,
        sql<LinkRow>`SELECT id, user_id, purpose, created_at, expires_at, used_at FROM password_links
                     WHERE token_sha256 = ${tokenSha256}`,
      );
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
    use: async (id: number, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE password_links SET used_at = ${at.toISOString()} WHERE id = ${id} AND used_at IS NULL`,
      )) > 0,
    /** When the user's newest link was made, if any. */
    latestCreatedAt: async (userId: number): Promise<string | null> =>
      (
        await firstRow(
          db,
          sql<{ latest: string | null }>`SELECT max(created_at) AS latest FROM password_links
                                         WHERE user_id = ${userId}`,
        )
      )?.latest ?? null,
    /** Retires every unused link of a user (a newer one is issued, the password or email changed, or disabled). */
    retireAll: async (userId: number, at: Date): Promise<number> =>
      run(
        db,
        sql`UPDATE password_links SET used_at = ${at.toISOString()} WHERE user_id = ${userId} AND used_at IS NULL`,
      ),
  };
}

export type PasswordLinkRepository = ReturnType<typeof passwordLinkRepository>;
