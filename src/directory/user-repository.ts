import type { Db } from '../db/database.js';
import type { EmployeeType } from './nip.js';
import type { Role, User, UserRecord, UserStatus } from './types.js';

interface UserRow {
  id: number;
  nip: string | null;
  employee_type: EmployeeType;
  email: string | null;
  full_name: string;
  position: string;
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
});

/** What the user list filters on. `unitIds` null: every unit (an admin without a unit filter). */
export interface UserFilter {
  query: string | null;
  unitIds: readonly number[] | null;
  role: Role | null;
  status: UserStatus | null;
  headsOnly: boolean;
}

export interface UserListRow extends User {
  unitName: string | null;
  isHead: boolean;
}

// One WHERE for the page and its count. LIKE patterns escape % and _ typed by people.
const FILTER_WHERE = `
  (@like IS NULL OR u.full_name LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\' OR u.nip LIKE @nipPrefix)
  AND (@unitIds IS NULL OR u.unit_id IN (SELECT value FROM json_each(@unitIds)))
  AND (@role IS NULL OR u.role = @role)
  AND (@status IS NULL OR u.status = @status)
  AND (@headsOnly = 0 OR EXISTS (SELECT 1 FROM unit_heads h WHERE h.user_id = u.id))`;

const filterParams = (filter: UserFilter) => {
  const like = filter.query ? `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const digits = filter.query?.replace(/\s+/g, '') ?? '';
  return {
    like,
    nipPrefix: /^\d{1,18}$/.test(digits) ? `${digits}%` : null,
    unitIds: filter.unitIds === null ? null : JSON.stringify(filter.unitIds),
    role: filter.role,
    status: filter.status,
    headsOnly: filter.headsOnly ? 1 : 0,
  };
};

export function userRepository(db: Db) {
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const byNip = db.prepare<[string], UserRow>('SELECT * FROM users WHERE nip = ?');
  const insert = db.prepare(
    `INSERT INTO users (nip, employee_type, email, full_name, position, unit_id, role, password_hash,
                        must_change_password, password_changed_at, created_at, updated_at)
     VALUES (@nip, @employeeType, @email, @fullName, @position, @unitId, @role, @passwordHash,
             @mustChangePassword, @passwordChangedAt, @now, @now)`,
  );
  const recordFailure = db.prepare(
    `UPDATE users SET failed_logins = failed_logins + 1, updated_at = @now WHERE id = @id RETURNING failed_logins`,
  );
  // Both only act on an account that is not locked at @now, so that a lock set by a concurrent request wins.
  const lock = db.prepare(
    `UPDATE users SET failed_logins = 0, locked_until = @until, updated_at = @now
     WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)`,
  );
  const clearFailures = db.prepare(
    `UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = @now
     WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)`,
  );
  const recordLogin = db.prepare('UPDATE users SET last_login_at = @now WHERE id = @id');
  const clearLock = db.prepare(
    'UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = @now WHERE id = @id',
  );
  const setPassword = db.prepare(
    `UPDATE users SET password_hash = @hash, must_change_password = @mustChange, password_changed_at = @now,
                      updated_at = @now WHERE id = @id`,
  );
  const setStatus = db.prepare('UPDATE users SET status = @status, updated_at = @now WHERE id = @id');
  const activeIds = db
    .prepare<[], number>("SELECT id FROM users WHERE status = 'active' ORDER BY id")
    .pluck();
  const search = db.prepare<Record<string, unknown>, UserRow & { unit_name: string | null; is_head: number }>(
    `SELECT u.*, un.name AS unit_name,
            EXISTS (SELECT 1 FROM unit_heads h WHERE h.user_id = u.id) AS is_head
     FROM users u LEFT JOIN units un ON un.id = u.unit_id
     WHERE ${FILTER_WHERE}
     ORDER BY u.full_name, u.id LIMIT @limit OFFSET @offset`,
  );
  const countFiltered = db
    .prepare<Record<string, unknown>, number>(`SELECT count(*) FROM users u WHERE ${FILTER_WHERE}`)
    .pluck();
  const update = db.prepare(
    `UPDATE users SET nip = @nip, employee_type = @employeeType, email = @email, full_name = @fullName,
                      position = @position, unit_id = @unitId, role = @role, updated_at = @now
     WHERE id = @id`,
  );
  const countActiveAdmins = db
    .prepare<[], number>("SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'")
    .pluck();
  const countActive = db.prepare<[], number>("SELECT count(*) FROM users WHERE status = 'active'").pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM users').pluck();

  return {
    findById: (id: number): User | undefined => {
      const row = byId.get(id);
      return row && toUser(row);
    },
    findByEmail: (email: string): User | undefined => {
      const row = byEmail.get(email);
      return row && toUser(row);
    },
    findByNip: (nip: string): User | undefined => {
      const row = byNip.get(nip);
      return row && toUser(row);
    },
    insert: (user: NewUser, at: Date): number => {
      const now = at.toISOString();
      return Number(
        insert.run({
          ...user,
          mustChangePassword: user.mustChangePassword ? 1 : 0,
          passwordChangedAt: user.passwordHash ? now : null,
          now,
        }).lastInsertRowid,
      );
    },
    /** Counts one more failed login and returns the new count. */
    recordFailedLogin: (id: number, at: Date): number =>
      (recordFailure.get({ id, now: at.toISOString() }) as { failed_logins: number }).failed_logins,
    /** Locks the account until `until` unless it is locked already; true when this call locked it. */
    lock: (id: number, until: Date, at: Date): boolean =>
      lock.run({ id, until: until.toISOString(), now: at.toISOString() }).changes > 0,
    /** Resets the failure count after a correct password; false (and nothing changed) if the account is locked. */
    clearFailedLogins: (id: number, at: Date): boolean =>
      clearFailures.run({ id, now: at.toISOString() }).changes > 0,
    recordLogin: (id: number, at: Date): void => {
      recordLogin.run({ id, now: at.toISOString() });
    },
    /** Ends a lockout unconditionally (a password set through a mailed link proves who it is). */
    clearLock: (id: number, at: Date): void => {
      clearLock.run({ id, now: at.toISOString() });
    },
    setPassword: (id: number, hash: string, mustChange: boolean, at: Date): void => {
      setPassword.run({ id, hash, mustChange: mustChange ? 1 : 0, now: at.toISOString() });
    },
    setStatus: (id: number, status: UserStatus, at: Date): void => {
      setStatus.run({ id, status, now: at.toISOString() });
    },
    /** One page of the user list, ordered by name. */
    search: (filter: UserFilter, limit: number, offset: number): UserListRow[] =>
      search.all({ ...filterParams(filter), limit, offset }).map((row) => ({
        ...toUser(row),
        unitName: row.unit_name,
        isHead: row.is_head === 1,
      })),
    countMatching: (filter: UserFilter): number => countFiltered.get(filterParams(filter)) as number,
    update: (id: number, fields: UserRecord, at: Date): void => {
      update.run({ id, ...fields, now: at.toISOString() });
    },
    countActiveAdmins: (): number => countActiveAdmins.get() as number,
    activeIds: (): number[] => activeIds.all(),
    countActive: (): number => countActive.get() as number,
    count: (): number => countAll.get() as number,
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
