import { type RawBuilder, sql } from 'kysely';
import { allRows, countOf, type Db, firstRow, insertRows, run } from '../db/database.js';
import { forUpdate, inIds, inTexts, likeAnyCase } from '../db/dialect.js';
import { isLanguage, type Language } from '../web/i18n.js';
import { activationCondition } from './activation-sql.js';
import type { EmployeeType } from './nip.js';
import type { Role, User, UserRecord, UserStatus } from './types.js';

interface UserRow {
  id: number;
  nip: string | null;
  employee_type: EmployeeType;
  email: string | null;
  full_name: string;
  position: string;
  pangkat: string | null;
  unit_id: number | null;
  role: Role;
  password_hash: string | null;
  status: UserStatus;
  failed_logins: number;
  locked_until: string | null;
  must_change_password: number;
  password_changed_at: string | null;
  last_login_at: string | null;
  created_at: string;
  language: string | null;
  anonymised_at: string | null;
}

export interface NewUser extends UserRecord {
  passwordHash: string | null;
  mustChangePassword: boolean;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  nip: row.nip,
  employeeType: row.employee_type,
  email: row.email,
  fullName: row.full_name,
  position: row.position,
  pangkat: row.pangkat,
  unitId: row.unit_id,
  role: row.role,
  passwordHash: row.password_hash,
  status: row.status,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
  mustChangePassword: row.must_change_password === 1,
  passwordChangedAt: row.password_changed_at,
  lastLoginAt: row.last_login_at,
  createdAt: row.created_at,
  language: isLanguage(row.language) ? row.language : null,
  anonymisedAt: row.anonymised_at,
});

/** What the user list filters on. `unitIds` null: every unit (an admin without a unit filter). */
export interface UserFilter {
  query: string | null;
  unitIds: readonly number[] | null;
  role: Role | null;
  status: UserStatus | null;
  headsOnly: boolean;
  /** Where they stand with their account (src/activation/activation-status.ts); null: anyone. */
  activation?: 'active' | 'letter' | 'never' | null;
}

export interface UserListRow extends User {
  unitName: string | null;
  isHead: boolean;
}

// One WHERE for the page and its count. LIKE patterns escape % and _ typed by people.
const filterWhere = (db: Db, filter: UserFilter): RawBuilder<unknown> => {
  const like = filter.query ? `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const digits = filter.query?.replace(/\s+/g, '') ?? '';
  const nipPrefix = /^\d{1,18}$/.test(digits) ? `${digits}%` : null;
  const { unitIds, role, status } = filter;
  return sql`1 = 1
    ${
      like === null
        ? sql``
        : sql`AND (u.full_name ${likeAnyCase(db)} ${like} ESCAPE '\\' OR u.email LIKE ${like} ESCAPE '\\'
                   ${nipPrefix === null ? sql`` : sql`OR u.nip LIKE ${nipPrefix}`})`
    }
    ${unitIds === null ? sql`` : unitIds.length === 0 ? sql`AND 1 = 0` : sql`AND u.unit_id IN (${sql.join(unitIds)})`}
    ${role === null ? sql`` : sql`AND u.role = ${role}`}
    ${status === null ? sql`` : sql`AND u.status = ${status}`}
    ${filter.headsOnly ? sql`AND EXISTS (SELECT 1 FROM unit_heads h WHERE h.user_id = u.id)` : sql``}
    ${filter.activation ? sql`AND ${activationCondition(filter.activation, 'u')}` : sql``}`;
};

export function userRepository(db: Db) {
  const insertUsers = (users: readonly NewUser[], at: Date) => {
    const now = at.toISOString();
    return insertRows(
      db,
      sql`INSERT INTO users (nip, employee_type, email, full_name, position, pangkat, unit_id, role, password_hash,
                             must_change_password, password_changed_at, created_at, updated_at)`,
      users.map(
        (
          user,
        ) => sql`(${user.nip}, ${user.employeeType}, ${user.email}, ${user.fullName}, ${user.position}, ${user.pangkat},
                       ${user.unitId}, ${user.role}, ${user.passwordHash}, ${user.mustChangePassword ? 1 : 0},
                       ${user.passwordHash ? now : null}, ${now}, ${now})`,
      ),
      sql<{ id: number; nip: string | null }>`RETURNING id, nip`,
    );
  };
  const one = async (query: RawBuilder<UserRow>): Promise<User | undefined> => {
    const row = await firstRow(db, query);
    return row && toUser(row);
  };
  const count = (query: RawBuilder<{ n: number }>) => countOf(db, query);

  return {
    findById: (id: number): Promise<User | undefined> => one(sql`SELECT * FROM users WHERE id = ${id}`),
    /**
     * A person's record read to be changed (inside the change's transaction): locked until it ends, so that nobody
     * changes it between this read and the change (PostgreSQL: the row; SQLite: the transaction holds the write lock
     * from its start).
     */
    findForChange: (id: number): Promise<User | undefined> =>
      one(sql`SELECT * FROM users WHERE id = ${id} ${forUpdate(db)}`),
    findByEmail: (email: string): Promise<User | undefined> =>
      one(sql`SELECT * FROM users WHERE email = ${email}`),
    findByNip: (nip: string): Promise<User | undefined> => one(sql`SELECT * FROM users WHERE nip = ${nip}`),
    /** The people with these NIPs, in one query (a roster import looks up a thousand rows at a time). */
    findByNips: async (nips: readonly string[]): Promise<User[]> =>
      nips.length === 0
        ? []
        : (await allRows(db, sql<UserRow>`SELECT * FROM users WHERE ${inTexts(db, sql`nip`, nips)}`)).map(
            toUser,
          ),
    /** The people with these ids, in one query. */
    findByIds: async (ids: readonly number[]): Promise<User[]> =>
      ids.length === 0
        ? []
        : (await allRows(db, sql<UserRow>`SELECT * FROM users WHERE ${inIds(db, sql`id`, ids)}`)).map(toUser),
    /** How many people belong to these units. */
    countInUnits: (unitIds: readonly number[]): Promise<number> =>
      unitIds.length === 0
        ? Promise.resolve(0)
        : count(sql`SELECT count(*) AS n FROM users WHERE ${inIds(db, sql`unit_id`, unitIds)}`),
    /** Everyone whose unit is one of these, in one query. */
    inUnits: async (unitIds: readonly number[]): Promise<User[]> =>
      unitIds.length === 0
        ? []
        : (
            await allRows(db, sql<UserRow>`SELECT * FROM users WHERE ${inIds(db, sql`unit_id`, unitIds)}`)
          ).map(toUser),
    /** The people with these emails (any case), in one query. */
    findByEmails: async (emails: readonly string[]): Promise<User[]> =>
      emails.length === 0
        ? []
        : (
            await allRows(
              db,
              sql<UserRow>`SELECT * FROM users WHERE ${inTexts(db, sql`email`, emails, 'citext')}`,
            )
          ).map(toUser),
    insert: async (user: NewUser, at: Date): Promise<number> =>
      (await insertUsers([user], at))[0]?.id as number,
    /**
     * Adds many people at once (a roster), a hundred to a statement; resolves to each one's id by NIP, which every
     * one of them must have.
     */
    insertMany: async (users: readonly NewUser[], at: Date): Promise<Map<string, number>> =>
      new Map((await insertUsers(users, at)).map((row) => [row.nip as string, row.id])),
    /** Counts one more failed login and returns the new count. */
    recordFailedLogin: async (id: number, at: Date): Promise<number> => {
      const row = await firstRow(
        db,
        sql<{ failed_logins: number }>`
          UPDATE users SET failed_logins = failed_logins + 1, updated_at = ${at.toISOString()} WHERE id = ${id}
          RETURNING failed_logins`,
      );
      return (row as { failed_logins: number }).failed_logins;
    },
    // Both only act on an account that is not locked at `at`, so that a lock set by a concurrent request wins.
    /** Locks the account until `until` unless it is locked already; true when this call locked it. */
    lock: async (id: number, until: Date, at: Date): Promise<boolean> => {
      const now = at.toISOString();
      const changed = await run(
        db,
        sql`UPDATE users SET failed_logins = 0, locked_until = ${until.toISOString()}, updated_at = ${now}
            WHERE id = ${id} AND (locked_until IS NULL OR locked_until <= ${now})`,
      );
      return changed > 0;
    },
    /** Resets the failure count after a correct password; false (and nothing changed) if the account is locked. */
    clearFailedLogins: async (id: number, at: Date): Promise<boolean> => {
      const now = at.toISOString();
      const changed = await run(
        db,
        sql`UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ${now}
            WHERE id = ${id} AND (locked_until IS NULL OR locked_until <= ${now})`,
      );
      return changed > 0;
    },
    recordLogin: async (id: number, at: Date): Promise<void> => {
      await run(db, sql`UPDATE users SET last_login_at = ${at.toISOString()} WHERE id = ${id}`);
    },
    /** Ends a lockout unconditionally (a password set through a mailed link proves who it is). */
    clearLock: async (id: number, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ${at.toISOString()} WHERE id = ${id}`,
      );
    },
    setPassword: async (id: number, hash: string, mustChange: boolean, at: Date): Promise<void> => {
      const now = at.toISOString();
      await run(
        db,
        sql`UPDATE users SET password_hash = ${hash}, must_change_password = ${mustChange ? 1 : 0},
                             password_changed_at = ${now}, updated_at = ${now}
            WHERE id = ${id}`,
      );
    },
    /** The language the person chose for pages and mails. */
    setLanguage: async (id: number, language: Language, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE users SET language = ${language}, updated_at = ${at.toISOString()} WHERE id = ${id}`,
      );
    },
    setStatus: async (id: number, status: UserStatus, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE users SET status = ${status}, updated_at = ${at.toISOString()} WHERE id = ${id}`,
      );
    },
    /** One page of the user list, ordered by name. */
    search: async (filter: UserFilter, limit: number, offset: number): Promise<UserListRow[]> =>
      (
        await allRows(
          db,
          sql<UserRow & { unit_name: string | null; is_head: number }>`
            SELECT u.*, un.name AS unit_name,
                   CASE WHEN EXISTS (SELECT 1 FROM unit_heads h WHERE h.user_id = u.id) THEN 1 ELSE 0 END AS is_head
            FROM users u LEFT JOIN units un ON un.id = u.unit_id
            WHERE ${filterWhere(db, filter)}
            ORDER BY u.full_name, u.id LIMIT ${limit} OFFSET ${offset}`,
        )
      ).map((row) => ({
        ...toUser(row),
        unitName: row.unit_name,
        isHead: row.is_head === 1,
      })),
    countMatching: (filter: UserFilter): Promise<number> =>
      count(sql`SELECT count(*) AS n FROM users u WHERE ${filterWhere(db, filter)}`),
    /**
     * Saves a person's record. A record saved is a living one: an anonymised person an admin restores (updateUser,
     * with the NIP they had) loses the mark and the keyed hash with it.
     */
    update: async (id: number, fields: UserRecord, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE users SET nip = ${fields.nip}, employee_type = ${fields.employeeType}, email = ${fields.email},
                             full_name = ${fields.fullName}, position = ${fields.position}, pangkat = ${fields.pangkat},
                             unit_id = ${fields.unitId},
                             role = ${fields.role}, anonymised_at = NULL, nip_hmac = NULL,
                             updated_at = ${at.toISOString()}
            WHERE id = ${id}`,
      );
    },
    /**
     * Anonymises a person (inside the operation's transaction): `fullName` replaces the name; NIP, email, position,
     * pangkat, password, lockout, last login and language are removed; the NIP is kept only as `nipHmac`. False
     * when the record is no longer a disabled one not yet anonymised (nothing was changed).
     */
    anonymise: async (
      id: number,
      person: { fullName: string; nipHmac: string | null },
      at: Date,
    ): Promise<boolean> => {
      const now = at.toISOString();
      const changed = await run(
        db,
        sql`UPDATE users SET full_name = ${person.fullName}, nip = NULL, email = NULL, position = '', pangkat = NULL,
                             password_hash = NULL, must_change_password = 0, password_changed_at = NULL,
                             failed_logins = 0, locked_until = NULL, last_login_at = NULL, language = NULL,
                             nip_hmac = ${person.nipHmac}, anonymised_at = ${now}, updated_at = ${now}
            WHERE id = ${id} AND status = 'disabled' AND anonymised_at IS NULL`,
      );
      return changed === 1;
    },
    /** The anonymised people whose NIP had one of these keyed hashes (see nipKeyedHash), by hash. */
    findAnonymisedByNipHmacs: async (hmacs: readonly string[]): Promise<Map<string, User>> =>
      hmacs.length === 0
        ? new Map()
        : new Map(
            (
              await allRows(
                db,
                sql<
                  UserRow & { nip_hmac: string }
                >`SELECT * FROM users WHERE ${inTexts(db, sql`nip_hmac`, hmacs)}`,
              )
            ).map((row) => [row.nip_hmac, toUser(row)]),
          ),
    countActiveAdmins: (): Promise<number> =>
      count(sql`SELECT count(*) AS n FROM users WHERE role = 'admin' AND status = 'active'`),
    activeIds: async (): Promise<number[]> =>
      (await allRows(db, sql<{ id: number }>`SELECT id FROM users WHERE status = 'active' ORDER BY id`)).map(
        (row) => row.id,
      ),
    countActive: (): Promise<number> => count(sql`SELECT count(*) AS n FROM users WHERE status = 'active'`),
    /** Active users whose unit is one of these: an operator's "Pengguna aktif", over their subtree's ids. */
    countActiveInUnits: (unitIds: readonly number[]): Promise<number> =>
      unitIds.length === 0
        ? Promise.resolve(0)
        : count(
            sql`SELECT count(*) AS n FROM users WHERE status = 'active' AND ${inIds(db, sql`unit_id`, unitIds)}`,
          ),
    count: (): Promise<number> => count(sql`SELECT count(*) AS n FROM users`),
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
