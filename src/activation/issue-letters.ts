import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { activationCodeHash, newActivationCode } from '../credentials/activation-code.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { LetterBatch } from './letter-batch-repository.js';
import { confirmedRecipients, type LetterRecipient } from './recipients.js';

type Services = Parameters<typeof confirmedRecipients>[0] & { db: Db; audit: AuditRepository; clock: Clock };

/** A letter ready to print: its person and unit, and the code in the clear (it exists nowhere else). */
export interface Letter extends LetterRecipient {
  code: string;
  expiresAt: Date;
}

/**
 * Makes the codes of a print run, in one transaction: for each person the preview confirmed who still gets a letter
 * (someone may have activated or been disabled since), every older unused link or code dies, a new code is stored
 * hashed, and the printing is audited (one event per person, one for the run). The codes in the clear are returned
 * for the PDF and kept nowhere: a lost printout is replaced by printing again, which kills these codes.
 */
export async function issueLetters(
  services: Services,
  options: { batch: LetterBatch; manager: Pick<User, 'id' | 'role' | 'unitId'>; actor: Actor; days: number },
): Promise<Letter[]> {
  const { batch } = options;
  return inTransaction(services.db, async () => {
    const recipients = await confirmedRecipients(services, {
      manager: options.manager,
      recipientIds: batch.recipientIds,
      resets: batch.resets,
    });
    const now = services.clock.now();
    const expiresAt = new Date(now.getTime() + options.days * 24 * 60 * 60 * 1000);
    const letters = recipients.map((recipient) => ({ ...recipient, code: newActivationCode(), expiresAt }));
    const ids = letters.map((letter) => letter.user.id);
    await services.passwordLinks.retireAllOf(ids, now);
    await services.passwordLinks.insertMany(
      letters.map((letter) => ({
        userId: letter.user.id,
        purpose: 'activation' as const,
        tokenSha256: activationCodeHash(letter.user.id, letter.code),
        createdAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        createdBy: options.actor.userId,
      })),
    );
    await recordEvent(
      services.audit,
      {
        actor: options.actor,
        action: 'activation.letters_printed',
        target: { type: 'activation_letter_batch', id: batch.id },
        details: { description: batch.description, letters: letters.length, resets: batch.resets },
        at: now,
      },
      ...letters.map((letter) => ({
        actor: options.actor,
        action: 'activation.letter_printed' as const,
        target: { type: 'user', id: letter.user.id },
        details: { batchId: batch.id, expiresAt: expiresAt.toISOString() },
        at: now,
      })),
    );
    return letters;
  });
}
