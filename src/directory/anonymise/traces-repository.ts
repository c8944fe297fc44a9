import { sql } from 'kysely';
import { type Db, run } from '../../db/database.js';

/**
 * The free text where a person's name, NIP or email may have been written down about them by Ikrar or by others:
 * mails kept or sent (to them, or listing them to their operator), audit details (a form's values, a typed login
 * name), a roster import's rows (kept a day), exemption notes. Fixed here, never taken from input.
 */
const TEXTS = [
  ['outbox', 'subject'],
  ['outbox', 'body'],
  ['audit_events', 'details'],
  ['roster_import_rows', 'row'],
  ['roster_import_rows', 'outcome'],
  ['pact_exemptions', 'note'],
  ['pact_exemptions', 'lift_reason'],
] as const;

const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * What anonymising a person erases outside their own record and signatures (src/directory/anonymise/): what was
 * addressed to them and what others' records say of them. Call inside the operation's transaction.
 */
export function personalTracesRepository(db: Db) {
  return {
    /**
     * Deletes what was addressed to the person: their password links and activation codes, their reminder and
     * escalation records, and the mail kept or sent to their address. Returns how many rows went.
     */
    async deleteAddressedTo(userId: number, email: string | null): Promise<number> {
      let deleted = await run(db, sql`DELETE FROM password_links WHERE user_id = ${userId}`);
      deleted += await run(db, sql`DELETE FROM reminders WHERE user_id = ${userId}`);
      if (email !== null) {
        deleted += await run(db, sql`DELETE FROM outbox WHERE lower(to_address) = lower(${email})`);
      }
      return deleted;
    },
    /**
     * Replaces every occurrence of each of `texts` (the name, the NIP as stored and as printed, the email) with
     * `replacement` in the free text others' records keep (TEXTS), and forgets rate-limit counters keyed on them.
     * Matched as written (case and all); JSON stays JSON, since neither side holds a quote or a backslash.
     */
    async scrub(texts: readonly string[], replacement: string): Promise<number> {
      let changed = 0;
      for (const text of texts) {
        const pattern = likePattern(text);
        for (const [table, column] of TEXTS) {
          changed += await run(
            db,
            sql`UPDATE ${sql.id(table)} SET ${sql.id(column)} = replace(${sql.id(column)}, ${text}, ${replacement})
                WHERE ${sql.id(column)} LIKE ${pattern} ESCAPE '\\'`,
          );
        }
        changed += await run(db, sql`DELETE FROM rate_limit_hits WHERE key LIKE ${pattern} ESCAPE '\\'`);
      }
      return changed;
    },
  };
}

export type PersonalTracesRepository = ReturnType<typeof personalTracesRepository>;
