import { type RawBuilder, sql } from 'kysely';
import { allRows, type Db, firstRow, insertRows, run } from '../db/database.js';
import { inIds } from '../db/dialect.js';

/** A link sent by mail: its token is in the URL. */
export type MailedLinkPurpose = 'invitation' | 'reset';
/** Every kind of link: mailed ones, and the code of a printed activation letter (src/activation). */
export type LinkPurpose = MailedLinkPurpose | 'activation';

/** A link to be stored: whose, what for, the sha256 of its secret, and when it was made, stops working and by whom. */
export interface NewPasswordLink {
  userId: number;
  purpose: LinkPurpose;
  tokenSha256: string;
  createdAt: string;
  expiresAt: string;
  createdBy: number | null;
}

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

const toLink = (row: LinkRow): PasswordLink => ({
  id: row.id,
  userId: row.user_id,
  purpose: row.purpose,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

export function passwordLinkRepository(db: Db) {
  const one = async (query: RawBuilder<LinkRow>): Promise<PasswordLink | undefined> => {
    const row = await firstRow(db, query);
    return row && toLink(row);
  };
  return {
    insert: async (link: NewPasswordLink): Promise<number> => {
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
    findByHash: async (tokenSha256: string): Promise<PasswordLink | undefined> =>
      one(
        sql<LinkRow>`SELECT id, user_id, purpose, created_at, expires_at, used_at FROM password_links
                     WHERE token_sha256 = ${tokenSha256}`,
      ),
    findById: async (id: number): Promise<PasswordLink | undefined> =>
      one(
        sql<LinkRow>`SELECT id, user_id, purpose, created_at, expires_at, used_at FROM password_links
                     WHERE id = ${id}`,
      ),
    /** Marks a link used; false when it was used already (so a link works once, even with two tabs). */
    use: async (id: number, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE password_links SET used_at = ${at.toISOString()} WHERE id = ${id} AND used_at IS NULL`,
      )) > 0,
    /** The id of the user's newest link, used or not (ids only grow). */
    newestIdOf: async (userId: number): Promise<number | null> =>
      (
        await firstRow(
          db,
          sql<{
            newest: number | null;
          }>`SELECT max(id) AS newest FROM password_links WHERE user_id = ${userId}`,
        )
      )?.newest ?? null,
    /** When the user's newest link was made, if any. */
    latestCreatedAt: async (userId: number): Promise<string | null> =>
      (
        await firstRow(
          db,
          sql<{ latest: string | null }>`SELECT max(created_at) AS latest FROM password_links
                                         WHERE user_id = ${userId}`,
        )
      )?.latest ?? null,
    /** Stores many links at once (a print run of activation letters). */
    insertMany: async (links: readonly NewPasswordLink[]): Promise<void> => {
      await insertRows(
        db,
        sql`INSERT INTO password_links (user_id, purpose, token_sha256, created_at, expires_at, created_by)`,
        links.map(
          (link) =>
            sql`(${link.userId}, ${link.purpose}, ${link.tokenSha256}, ${link.createdAt}, ${link.expiresAt},
                 ${link.createdBy})`,
        ),
      );
    },
    /** When each of these people's newest activation letter was printed (people without one are left out). */
    latestLetters: async (userIds: readonly number[]): Promise<Map<number, string>> =>
      new Map(
        (
          await allRows(
            db,
            sql<{ user_id: number; printed_at: string }>`
              SELECT user_id, max(created_at) AS printed_at FROM password_links
              WHERE purpose = 'activation' AND ${inIds(db, sql`user_id`, userIds)}
              GROUP BY user_id`,
          )
        ).map((row) => [row.user_id, row.printed_at]),
      ),
    /** Retires every unused link of these people at once (see retireAll). */
    retireAllOf: async (userIds: readonly number[], at: Date): Promise<number> =>
      run(
        db,
        sql`UPDATE password_links SET used_at = ${at.toISOString()}
            WHERE used_at IS NULL AND ${inIds(db, sql`user_id`, userIds)}`,
      ),
    /** Retires every unused link of a user (a newer one is issued, the password or email changed, or disabled). */
    retireAll: async (userId: number, at: Date): Promise<number> =>
      run(
        db,
        sql`UPDATE password_links SET used_at = ${at.toISOString()} WHERE user_id = ${userId} AND used_at IS NULL`,
      ),
  };
}

export type PasswordLinkRepository = ReturnType<typeof passwordLinkRepository>;
