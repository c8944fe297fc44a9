import type { CertificateFacts } from './certificate.js';
import { checkCms } from './check-cms.js';
import type { InstanceSeal, SealOwnership } from './instance-seal.js';
import { type FoundSignature, findPdfSignatures, receiptCodeIn } from './pdf-signature.js';

/** What an uploaded PDF's seal says, for /verifikasi. */
export type SealCheck =
  /** No signature at all. */
  | { seal: 'none'; receiptCode: string | undefined }
  /** A signature that cannot be read or checked (a broken /ByteRange, not a CMS SignedData, a damaged certificate). */
  | { seal: 'unreadable'; receiptCode: string | undefined }
  | {
      seal: 'checked';
      /** Digest and signature good, and the signature covers the whole file. */
      intact: boolean;
      /**
       * This instance's seal, good over the bytes it covers (the document as it was issued), but bytes were added
       * after them: another signature (its holder's), or any change.
       */
      oursWithAdditions: boolean;
      /** The signed bytes are not those that were signed (one byte changed is enough). */
      contentChanged: boolean;
      /** The signature does not verify with its certificate (made with another key, or damaged). */
      signatureInvalid: boolean;
      /** Bytes were added after the signed ranges (another signature, or any change): not all of it is sealed. */
      addedAfterSealing: boolean;
      certificate: CertificateFacts | null;
      /** Whose certificate: this instance's (active or retired), or someone else's. */
      ownership: SealOwnership;
      signedAt: Date | null;
      receiptCode: string | undefined;
    };

type SignatureCheck = Exclude<SealCheck, { seal: 'none' }>;
type CheckedSignature = Extract<SealCheck, { seal: 'checked' }>;

/** One signature of the file checked; `pdf` is the whole file, where a malformed signature's code is looked for. */
async function checkSignature(
  services: { seal: InstanceSeal },
  pdf: Buffer,
  found: FoundSignature,
): Promise<SignatureCheck> {
  if (found.kind === 'malformed') return { seal: 'unreadable', receiptCode: receiptCodeIn(pdf) };
  const { signature } = found;
  const receiptCode = receiptCodeIn(signature.signedBytes);
  const cms = checkCms(signature.cms, signature.signedBytes);
  if (!cms) return { seal: 'unreadable', receiptCode };
  const certificate = cms.certificate?.facts ?? null;
  const ownership = certificate ? await services.seal.ownership(certificate.fingerprint) : 'other';
  const sealedPartIntact = cms.digestMatches && cms.signatureVerifies;
  return {
    seal: 'checked',
    intact: sealedPartIntact && signature.coversWholeFile,
    oursWithAdditions: sealedPartIntact && !signature.coversWholeFile && ownership !== 'other',
    contentChanged: !cms.digestMatches,
    signatureInvalid: !cms.signatureVerifies,
    addedAfterSealing: !signature.coversWholeFile,
    certificate,
    ownership,
    signedAt: cms.signedAt,
    receiptCode,
  };
}

/**
 * Checks the seal of a PDF: whether it carries one, whether it is intact, and whether its certificate is this
 * instance's; and reads the receipt code inside what the seal covers (the whole file when there is no seal). Of
 * several signatures (a receipt its holder signed again after us), this instance's seal is the one reported: an
 * intact one, else any; without one of ours, the latest signature.
 */
export async function checkSealedPdf(services: { seal: InstanceSeal }, pdf: Buffer): Promise<SealCheck> {
  const found = findPdfSignatures(pdf);
  if (found.length === 0) return { seal: 'none', receiptCode: receiptCodeIn(pdf) };
  const checks: SignatureCheck[] = [];
  for (const signature of found) checks.push(await checkSignature(services, pdf, signature));
  const ours = checks.filter(
    (check): check is CheckedSignature => check.seal === 'checked' && check.ownership !== 'other',
  );
  return (
    ours.find((check) => check.intact || check.oursWithAdditions) ?? ours[0] ?? (checks[0] as SignatureCheck)
  );
}
