import type { Request } from 'express';
import { actorOf } from '../../audit/actor.js';
import { recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Signature } from '../types.js';

/**
 * A drawn signature is sensitive personal data (DOMAIN.md, UU 27/2022): when anyone but its signer (an admin) is
 * shown it, on the receipt page or in its PDF, the audit log says who, when and from where. A signing without a
 * drawing (or whose drawing was deleted), or the signer reading their own receipt, records nothing.
 */
export async function recordSignatureView(
  services: { audit: AuditRepository; clock: Clock },
  req: Request,
  signature: Pick<Signature, 'id' | 'userId' | 'signatureSha256' | 'receiptCode' | 'imageRemoved'>,
  format: 'page' | 'pdf',
): Promise<void> {
  if (signature.signatureSha256 === null || signature.imageRemoved || signature.userId === req.user?.id)
    return;
  await recordEvent(services.audit, {
    actor: actorOf(req),
    action: 'signature.image_viewed',
    target: { type: 'signature', id: signature.id },
    details: { format, receiptCode: signature.receiptCode },
    at: services.clock.now(),
  });
}
