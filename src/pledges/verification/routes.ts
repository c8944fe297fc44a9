import { type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../core/config.js';
import { maskNip } from '../../directory/nip.js';
import { GENESIS_HASH } from '../../ledger/chain.js';
import type { LedgerRepository } from '../../ledger/repository.js';
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
    ledger: receipt.ledgerEntry
      ? {
          seq: receipt.ledgerEntry.seq,
          hash: receipt.ledgerEntry.hash,
          matchesChain: receipt.integrity === 'ok',
        }
      : null,
  };
}

/** Public verification of receipts (page and JSON) and the public head of the ledger. */
export function verifyRoutes(
  services: {
    ledger: LedgerRepository;
    pacts: PactRepository;
    rateLimits: RateLimits;
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

  const renderForm = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
    res.status(status).render('pledges/verification/verify-form', {
      title: res.locals.t('verify.title'),
      values: { kode: '' },
      ...locals,
    });

  router.get('/verifikasi', limiter, (req, res) => {
    const typed = typeof req.query.kode === 'string' ? req.query.kode.slice(0, 100) : undefined;
    if (typed === undefined) return renderForm(res, 200);
    const code = parseReceiptCode(typed);
    if (!code) return renderForm(res, 400, { values: { kode: typed }, errors: { kode: 'verify.malformed' } });
    res.redirect(303, `/verifikasi/${formatReceiptCode(code)}`);
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
    const body: LedgerHeadBody = head
      ? { seq: head.seq, hash: head.hash, at: head.at }
      : { seq: 0, hash: GENESIS_HASH, at: null };
    res.set('Cache-Control', 'no-cache');
    res.json(body);
  });

  return router;
}
