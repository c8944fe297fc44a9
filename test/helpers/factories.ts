import { systemActor } from '../../src/audit/record-event.js';
import { hashPassword } from '../../src/credentials/password.js';
import type { Role, Unit, User, UserStatus } from '../../src/directory/types.js';
import { updateUser } from '../../src/directory/users/save-user.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import type { Services } from '../../src/services.js';

export const TEST_PASSWORD = 'kata-sandi-uji-yang-panjang';

const hashes = new Map<string, Promise<string>>();

/**
 * A real argon2id hash of `password` (the app's own `hashPassword`), made once per test file and password and shared
 * by the accounts the factories make with it: they differ only in salt, which no test of them looks at, and a hash
 * costs about as much as a login. What tests about passwords look at (a login, a change, a new account) still
 * hashes and verifies for real in the app.
 */
function factoryHash(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

/** Small builders for the data a test needs; each call makes new, unique rows. */
export function factories(services: Services) {
  let counter = 0;
  const person = personFactory(seededRandom(Math.floor(Math.random() * 2 ** 31)));

  const unit = async (
    options: {
      code?: string;
      name?: string;
      kind?: string;
      parentId?: number | null;
      /** The unit's own zone ('Asia/Jayapura'); default none: it follows its parent. */
      timeZone?: string | null;
    } = {},
  ): Promise<Unit> => {
    counter += 1;
    const id = await services.units.insert(
      {
        code: options.code ?? `UNIT-${counter}`,
        name: options.name ?? `Dinas Uji ${counter}`,
        kind: options.kind ?? 'dinas',
        parentId: options.parentId ?? null,
        timeZone: options.timeZone ?? null,
      },
      services.clock.now(),
    );
    return (await services.units.findById(id)) as Unit;
  };

  const user = async (
    options: {
      role?: Role;
      email?: string | null;
      nip?: string | null;
      fullName?: string;
      pangkat?: string | null;
      unitId?: number | null;
      /** null: a person who has never set a password (has not taken the account over). */
      password?: string | null;
      mustChangePassword?: boolean;
      status?: UserStatus;
    } = {},
  ) => {
    counter += 1;
    const p = person({ bornFrom: 1970, bornTo: 1995 });
    const role = options.role ?? 'signer';
    const id = await services.users.insert(
      {
        nip: options.nip !== undefined ? options.nip : p.nip,
        employeeType: 'PNS',
        email: options.email !== undefined ? options.email : `pengguna${counter}@uji.ikrar.test`,
        fullName: options.fullName ?? p.fullName,
        position: 'Analis Kebijakan',
        pangkat: options.pangkat ?? null,
        unitId: options.unitId ?? null,
        role,
        passwordHash: options.password === null ? null : await factoryHash(options.password ?? TEST_PASSWORD),
        mustChangePassword: options.mustChangePassword ?? false,
      },
      services.clock.now(),
    );
    if (options.status) await services.users.setStatus(id, options.status, services.clock.now());
    return (await services.users.findById(id)) as User;
  };

  /** Moves a person to another unit through the operation an admin's edit form uses (updateUser). */
  const move = async (person: Pick<User, 'id'>, to: Pick<Unit, 'id'>): Promise<void> => {
    const current = (await services.users.findById(person.id)) as User;
    const done = await updateUser(services, {
      userId: current.id,
      input: {
        nip: current.nip,
        employeeType: current.employeeType,
        email: current.email,
        fullName: current.fullName,
        position: current.position,
        pangkat: current.pangkat,
        unitId: to.id,
        role: current.role,
      },
      manager: { id: -1, role: 'admin', unitId: null },
      actor: systemActor,
    });
    if (!done.ok) throw new Error(`cannot move ${current.fullName}: ${JSON.stringify(done)}`);
  };

  return { unit, user, move };
}

export type Factories = ReturnType<typeof factories>;
