import { type CertificateFacts, certificateFacts } from './certificate.js';
import { checkCms } from './check-cms.js';
import type { InstanceSeal, SealOwnership } from './instance-seal.js';
import { findPdfSignature, receiptCodeIn } from './pdf-signature.js';

/** What an uploaded PDF's seal says, for /verifikasi. */
export type SealCheck =
  /** No signature at all. */
  | { seal: 'none'; receiptCode: string | undefined }
  /** A signature that cannot be read or checked (a broken /ByteRange, not a CMS SignedData). */
  | { seal: 'unreadable'; receiptCode: string | undefined }
  | {
      seal: 'checked';
      /** Digest and signature good, and the signature covers the whole file. */
      intact: boolean;
      /** The signed bytes are not those that were signed (one byte changed is enough). */
      contentChanged: boolean;
      /** The signature does not verify with its certificate (made with another key, or damaged). */
      signatureInvalid: boolean;
      /** Bytes were added after the signed ranges: the file was changed after sealing. */
      addedAfterSealing: boolean;
      certificate: CertificateFacts | null;
      /** Whose certificate: this instance's (active or retired), or someone else's. */
      ownership: SealOwnership;
      signedAt: Date | null;
      receiptCode: string | undefined;
    };

/**
 * Checks the seal of a PDF: whether it carries one, whether it is intact, and whether its certificate is this
 * instance's; and reads the receipt code inside what the seal covers (the whole file when there is no seal).
 */
export async function checkSealedPdf(services: { seal: InstanceSeal }, pdf: Buffer): Promise<SealCheck> {
  const found = findPdfSignature(pdf);
  if (found.kind === 'none') return { seal: 'none', receiptCode: receiptCodeIn(pdf) };
  if (found.kind === 'malformed') return { seal: 'unreadable', receiptCode: receiptCodeIn(pdf) };
  const { signature } = found;
  const receiptCode = receiptCodeIn(signature.signedBytes);
  const cms = checkCms(signature.cms, signature.signedBytes);
  if (!cms) return { seal: 'unreadable', receiptCode };
  const certificate = cms.certificate ? certificateFacts(cms.certificate) : null;
  return {
    seal: 'checked',
    intact: cms.digestMatches && cms.signatureVerifies && signature.coversWholeFile,
    contentChanged: !cms.digestMatches,
    signatureInvalid: !cms.signatureVerifies,
    addedAfterSealing: !signature.coversWholeFile,
    certificate,
    ownership: certificate ? await services.seal.ownership(certificate.fingerprint) : 'other',
    signedAt: cms.signedAt,
    receiptCode,
  };
}
