import type { Language } from '../web/i18n.js';
import type { HeadKind } from './head-kind.js';
import type { EmployeeType } from './nip.js';

export const ROLES = ['admin', 'operator', 'signer'] as const;
export type Role = (typeof ROLES)[number];

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: number;
  nip: string | null;
  employeeType: EmployeeType;
  email: string | null;
  fullName: string;
  position: string;
  /** Pangkat/golongan as written ('Pembina Tk. I, IV/b'), or null when not known. */
  pangkat: string | null;
  unitId: number | null;
  role: Role;
  passwordHash: string | null;
  status: UserStatus;
  failedLogins: number;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  passwordChangedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  /** The language the person chose for pages and mails; null: none chosen (mails in Indonesian). */
  language: Language | null;
  /**
   * When an admin anonymised the person (src/directory/anonymise/): the name is 'Anonim #<id>', and NIP, email,
   * position, pangkat and every way in are gone; the NIP is kept only as a keyed hash.
   */
  anonymisedAt: string | null;
}

/** The fields of a person's directory record that people enter (by hand or by import) and may change. */
export type UserRecord = Pick<
  User,
  'nip' | 'employeeType' | 'email' | 'fullName' | 'position' | 'pangkat' | 'unitId' | 'role'
>;

export interface Unit {
  id: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  headUserId: number | null;
  /** How the head holds the post; 'definitif' when the unit has none. */
  headKind: HeadKind;
  /** The day ('YYYY-MM-DD') the head took the post, if on record (always for an acting head). */
  headSince: string | null;
  /** The number of the decree (SK) appointing the head, if on record (always for an acting head). */
  headDecree: string | null;
  active: boolean;
  /** The unit's own time zone (IANA name), or null to follow its parent and, at the top, the instance. */
  timeZone: string | null;
}
