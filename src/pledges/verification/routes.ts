import { type RequestHandler, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import multer from 'multer';
import type { Config } from '../../core/config.js';
import { maskNip } from '../../directory/nip.js';
import { GENESIS_HASH } from '../../ledger/chain.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import { checkSealedPdf, type SealCheck } from '../../seal/check-sealed-pdf.js';
import type { InstanceSeal } from '../../seal/instance-seal.js';
import { type SealBody, sealCertificateBody } from '../../seal/seal-body.js';
import type { FieldErrors } from '../../web/forms.js';
import { HttpError } from '../../web/http-error.js';
import type { RateLimits } from '../../web/rate-limit-store.js';
import type { PactRepository } from '../pact-repository.js';
import { formatReceiptCode, parseReceiptCode } from '../receipt-code.js';
import type { SignatureRepository } from '../signature-repository.js';
import { findReceipt, type ReceiptView } from './find-receipt.js';
import type { LedgerHeadBody, ReceiptBody } from './verify-bodies.js';

/**
 * What the public may know of a signing: no signature image, no IP, the NIP masked. `status` is 'valid' or 'voided'
 * only when the records match the ledger; otherwise 'unverified' (changed after the fact, or never recorded).
 */
function publicFacts(receipt: ReceiptView): ReceiptBody {
  const { signature, pact } = receipt;
  return {
    code: receipt.code,
    status: receipt.integrity === 'ok' ? signature.status : 'unverified',
    fullName: signature.fullName,
    nipMasked: signature.nip ? maskNip(signature.nip) : null,
    position: signature.position,
    unitName: signature.unitName,
    pact: { id: pact.id, title: pact.title, version: pact.version },
    signedAt: signature.signedAt,
    method: signature.method,
    paperSignedOn: signature.paper?.signedOn ?? null,
    voidedAt: signature.voidedAt,
    anonymised: signature.anonymisedAt !== null,
    ledger: receipt.ledgerEntry
      ? {
          seq: receipt.ledgerEntry.seq,
          hash: receipt.ledgerEntry.hash,
          legacyHash: receipt.ledgerEntry.legacyHash,
          matchesChain: receipt.integrity === 'ok',
        }
      : null,
  };
}

/** The largest receipt PDF /verifikasi takes (a receipt is about 100 KB; a scan of one printed may be more). */
const UPLOAD_MAX_MB = 10;

// The file is held in memory only while it is checked, never stored.
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_MAX_MB * 1024 * 1024, files: 1, fields: 5, parts: 6 },
}).single('berkas');

/** A PDF by its content, whatever its name or declared type. */
const isPdf = (bytes: Buffer): boolean => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/** Public verification of receipts (page and JSON, by code or by the uploaded PDF) and the ledger head and seal. */
export function verifyRoutes(
  services: {
    ledger: LedgerRepository;
    pacts: PactRepository;
    rateLimits: RateLimits;
    seal: InstanceSeal;
    signatures: SignatureRepository;
  },
  config: Config,
): Router {
  const router = Router();
  // Codes carry 80 random bits, so guessing is hopeless anyway; the limit keeps scrapers and floods away.
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.verifyRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...services.rateLimits('verify'),
    handler: (_req, _res, next) => next(new HttpError(429, 'error.429.message')),
  });

  // Checking a file costs more than looking a code up: its own, smaller budget.
  const uploadLimiter = rateLimit({
    windowMs: 60_000,
    limit: config.verifyUploadRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...services.rateLimits('verify-upload'),
    handler: (_req, _res, next) => next(new HttpError(429, 'error.429.message')),
  });

  /** The form page: a code to look up, the way to the upload page, and the instance's seal certificate. */
  const renderForm = async (res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const certificates = await services.seal.certificates();
    res.status(status).render('pledges/verification/verify-form', {
      title: res.locals.t('verify.title'),
      values: { kode: '' },
      seal: certificates.find((certificate) => certificate.active),
      retiredSeals: certificates.filter((certificate) => !certificate.active).length,
      ...locals,
    });
  };

  /**
   * The upload page, with what the last file showed. A page of its own: its form needs a CSRF token and so a session,
   * which /verifikasi (where QR codes and typed codes lead) never makes.
   */
  const renderUpload = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
    res.status(status).render('pledges/verification/verify-upload', {
      title: res.locals.t('verify.upload.heading'),
      uploadMaxMb: UPLOAD_MAX_MB,
      ...locals,
    });

  const refuseUpload = (res: Response, status: number, problem: string) =>
    renderUpload(res, status, {
      errors: { berkas: `verify.upload.${problem}` } satisfies FieldErrors,
      errorParams: { berkas: { megabytes: UPLOAD_MAX_MB } },
    });

  /** multer; a file over the limit or a broken body is answered on the page, never a 500. */
  const receiveUpload: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      req.log?.info({ err }, 'receipt PDF upload refused');
      const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
      refuseUpload(res, tooLarge ? 413 : 400, tooLarge ? 'too_large' : 'bad_upload');
    });
  };

  router.get('/verifikasi', limiter, async (req, res) => {
    const typed = typeof req.query.kode === 'string' ? req.query.kode.slice(0, 100) : undefined;
    if (typed === undefined) return renderForm(res, 200);
    const code = parseReceiptCode(typed);
    if (!code) return renderForm(res, 400, { values: { kode: typed }, errors: { kode: 'verify.malformed' } });
    res.redirect(303, `/verifikasi/${formatReceiptCode(code)}`);
  });

  // Before '/verifikasi/:code', which would take 'berkas' for a code.
  router.get('/verifikasi/berkas', limiter, (_req, res) => renderUpload(res, 200));

  /**
   * A receipt PDF checked by its seal: whether it carries one, intact, made with this instance's certificate, and
   * what its receipt code says now. Changes nothing, so it is logged (without the file) but not audited.
   */
  router.post('/verifikasi', uploadLimiter, receiveUpload, async (req, res) => {
    const file = req.file;
    if (!file || file.size === 0) return refuseUpload(res, 400, 'missing');
    if (!isPdf(file.buffer)) return refuseUpload(res, 415, 'not_pdf');
    let check: SealCheck;
    try {
      check = await checkSealedPdf(services, file.buffer);
    } catch (err) {
      // The checker reads every signature it finds defensively; whatever still escapes it is this file's doing, as
      // far as the person uploading it can tell: answered on the page, and logged to be looked into.
      req.log?.error({ err, bytes: file.size }, 'uploaded receipt PDF could not be checked');
      return refuseUpload(res, 422, 'unreadable_file');
    }
    const receipt = check.receiptCode ? await findReceipt(services, config, check.receiptCode) : undefined;
    req.log?.info(
      {
        bytes: file.size,
        seal: check.seal,
        ...(check.seal === 'checked'
          ? { intact: check.intact, oursWithAdditions: check.oursWithAdditions, ownership: check.ownership }
          : {}),
        receiptCode: check.receiptCode === undefined ? 'none' : receipt ? 'found' : 'unknown',
      },
      'uploaded receipt PDF checked',
    );
    renderUpload(res, 200, { check, receipt: receipt ? publicFacts(receipt) : null });
  });

  router.get('/verifikasi/:code', limiter, async (req, res) => {
    const receipt = await findReceipt(services, config, String(req.params.code));
    res.status(receipt ? 200 : 404).render('pledges/verification/verify-result', {
      title: res.locals.t('verify.title'),
      facts: receipt ? publicFacts(receipt) : null,
      code: String(req.params.code).slice(0, 40),
    });
  });

  router.get('/api/v1/verify/:code', limiter, async (req, res) => {
    const receipt = await findReceipt(services, config, String(req.params.code));
    if (!receipt) throw new HttpError(404, 'verify.not_found');
    res.json(publicFacts(receipt));
  });

  router.get('/api/v1/ledger/head', async (_req, res) => {
    const head = await services.ledger.head();
    const upgrade = await services.ledger.formatUpgrade();
    const formatUpgrade = upgrade
      ? {
          at: upgrade.at,
          oldHeadSeq: upgrade.oldHeadSeq,
          oldHeadHash: upgrade.oldHeadHash,
          newHeadHash: upgrade.newHeadHash,
        }
      : null;
    const body: LedgerHeadBody = head
      ? { seq: head.seq, hash: head.hash, at: head.at, formatUpgrade }
      : { seq: 0, hash: GENESIS_HASH, at: null, formatUpgrade };
    res.set('Cache-Control', 'no-cache');
    res.json(body);
  });

  router.get('/api/v1/seal', async (_req, res) => {
    const [active, ...retired] = await services.seal.certificates();
    if (!active?.active) throw new Error('seal: no active certificate');
    const body: SealBody = {
      active: sealCertificateBody(active),
      retired: retired.map(sealCertificateBody),
    };
    res.set('Cache-Control', 'no-cache');
    res.json(body);
  });

  return router;
}
