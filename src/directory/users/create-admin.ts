import { z } from 'zod';
import type { Actor } from '../../audit/record-event.js';
import { recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { hasUnprintable } from '../../core/text.js';
import { checkNewPassword, hashPassword, type PasswordProblem } from '../../credentials/password.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { MAX_LENGTH } from '../field-limits.js';
import type { UserRepository } from '../user-repository.js';

export interface CreateAdminOptions {
  email: string;
  fullName: string;
  password: string;
  actor: Actor;
}

export type CreateAdminResult =
  | { ok: true; userId: number }
  | { ok: false; problem: 'invalid_email' | 'invalid_name' | 'email_taken' | PasswordProblem };

const emailSchema = z.email();

/** Creates an admin account without a NIP (a technical account), for the first admin of a real deployment. */
export async function createAdmin(
  services: { db: Db; users: UserRepository; audit: AuditRepository; clock: Clock },
  options: CreateAdminOptions,
): Promise<CreateAdminResult> {
  const email = options.email.trim().toLowerCase();
  const fullName = options.fullName.trim().replace(/\s+/g, ' ');
  if (!emailSchema.safeParse(email).success) return { ok: false, problem: 'invalid_email' };
  if (fullName.length < 3 || fullName.length > MAX_LENGTH.fullName || hasUnprintable(fullName)) {
    return { ok: false, problem: 'invalid_name' };
  }
  const weak = await checkNewPassword(options.password, { fullName, email, nip: null });
  if (weak) return { ok: false, problem: weak };
  const passwordHash = await hashPassword(options.password);

  return inTransaction(services.db, async () => {
    // Checked inside the transaction so that two concurrent runs cannot both pass it.
    if (await services.users.findByEmail(email)) return { ok: false, problem: 'email_taken' } as const;
    const now = services.clock.now();
    const userId = await services.users.insert(
      {
        nip: null,
        employeeType: 'PNS',
        email,
        fullName,
        position: 'Administrator Sistem',
        pangkat: null,
        unitId: null,
        role: 'admin',
        passwordHash,
        mustChangePassword: false,
      },
      now,
    );
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'user.created',
      target: { type: 'user', id: userId },
      details: { role: 'admin', via: 'create-admin' },
      at: now,
    });
    return { ok: true, userId } as const;
  });
}
