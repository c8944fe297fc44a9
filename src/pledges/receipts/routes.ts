import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../audit/actor.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Config } from '../../core/config.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { actingHeadTitle } from '../../directory/head-kind.js';
import { formatNip } from '../../directory/nip.js';
import { type UnitZoneLookup, zoneOfUnit } from '../../directory/unit-time-zone.js';
import type { UserRepository } from '../../directory/user-repository.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import type { InstanceSeal } from '../../seal/instance-seal.js';
import { flash } from '../../web/flash.js';
import { type Formatter, formatterFor } from '../../web/format.js';
import { parseForm, textField } from '../../web/forms.js';
import { requireAuth, requireRole } from '../../web/guards.js';
import { notFound } from '../../web/http-error.js';
import { DEFAULT_LANGUAGE, type Language, type Translate, translatorFor } from '../../web/i18n.js';
import { renderMarkdown } from '../../web/markdown.js';
import { myPacts, nextToSign } from '../my-pacts.js';
import type { PactRepository } from '../pact-repository.js';
import type { SignatureRepository } from '../signature-repository.js';
import { findReceipt, qrPng, type ReceiptView } from '../verification/find-receipt.js';
import { renderReceiptPdf } from './receipt-pdf.js';
import { recordSignatureView } from './record-signature-view.js';
import { voidSignature } from './void-signature.js';

const voidSchema = z.object({ reason: textField({ max: 500, label: 'void.reason' }) });

/** Receipts: visible to the person who signed and to admins only (others get 404, not a hint it exists). */
export function receiptRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    ledger: LedgerRepository;
    pacts: PactRepository;
    seal: InstanceSeal;
    signatures: SignatureRepository;
    timeZone: TimeZone;
    unitTimeZones: UnitZoneLookup;
    users: UserRepository;
  },
  config: Config,
): Router {
  const router = Router();
  router.use('/tanda-terima', requireAuth);

  const loadReceipt = async (req: Request): Promise<ReceiptView> => {
    const receipt = await findReceipt(services, config, String(req.params.code));
    const user = req.user as Express.User;
    if (!receipt || (receipt.signature.userId !== user.id && user.role !== 'admin')) throw notFound();
    return receipt;
  };

  /**
   * A receipt is its signer's document: its page and its PDF say when it was signed (and voided) on the clocks of the
   * unit they signed in (its zone now, inherited or its own), whoever reads it, in the reader's language (the PDF's
   * statement: in the instance's).
   */
  const signerFormatter = async (receipt: ReceiptView, language: Language): Promise<Formatter> =>
    formatterFor(await zoneOfUnit(services, receipt.signature.unitId), language);

  /**
   * For a signing on paper: "Ditandatangani di atas kertas pada 26 September 2023 di …, disaksikan oleh …; dicatat
   * oleh <name> pada <time>". Null for a signing online.
   */
  const paperStatement = async (
    t: Translate,
    fmt: Formatter,
    receipt: ReceiptView,
  ): Promise<string | null> => {
    const paper = receipt.signature.paper;
    if (!paper) return null;
    const recorder = paper.recordedBy === null ? undefined : await services.users.findById(paper.recordedBy);
    return t('receipt.paper_statement', {
      day: fmt.formatDay(paper.signedOn),
      place: paper.place,
      witness: paper.witness,
      recorder: recorder?.fullName ?? t('receipt.paper_recorder_system'),
      at: fmt.formatDateTime(paper.recordedAt),
    });
  };

  /** 'Ikrar bersama: 26 September 2023, Gedung Gradhika Bhakti Praja', when the pact has a ceremony. */
  const ceremonyText = (t: Translate, fmt: Formatter, receipt: ReceiptView): string | null =>
    receipt.pact.ceremonyOn
      ? t('pact.ceremony_line', {
          day: fmt.formatDay(receipt.pact.ceremonyOn),
          place: receipt.pact.ceremonyPlace ?? '',
        })
      : null;

  const renderReceipt = async (
    req: Request,
    res: Response,
    receipt: ReceiptView,
    status = 200,
    locals = {},
  ) => {
    const user = req.user as Express.User;
    const png = await services.signatures.image(receipt.signature.id);
    await recordSignatureView(services, req, receipt.signature, 'page');
    const fmt = { ...res.locals.fmt, ...(await signerFormatter(receipt, res.locals.language)) };
    const isOwner = receipt.signature.userId === user.id;
    // The owner's journey leads on: to the next pact they must sign, and to this one again if it was voided and is
    // still theirs to sign (not once they signed it again, or a new version replaced it).
    const pending = isOwner ? await myPacts(services, user.id) : undefined;
    res.status(status).render('pledges/receipts/receipt', {
      title: res.locals.t('receipt.title'),
      fmt,
      paperStatement: await paperStatement(res.locals.t, fmt, receipt),
      receipt,
      bodyHtml: renderMarkdown(receipt.pact.body),
      signatureImage: png ? `data:image/png;base64,${png.toString('base64')}` : null,
      qrDataUrl: `data:image/png;base64,${(await qrPng(receipt.verifyUrl)).toString('base64')}`,
      actingAs: actingHeadTitle(res.locals.t, receipt.signature.headKind, receipt.signature.unitName),
      canVoid: user.role === 'admin' && receipt.signature.status === 'valid',
      isOwner,
      signAgain: pending?.toSign.some((pact) => pact.id === receipt.signature.pactId) ?? false,
      nextPact: pending && nextToSign(pending, services.clock.now(), receipt.signature.pactId),
      // The next pact's deadline is on the reader's clocks (their unit's zone), not the signer's of this receipt.
      readerFmt: res.locals.fmt,
      ...locals,
    });
  };

  // Registered before '/:code' so that '.pdf' is not taken as part of the code.
  router.get('/tanda-terima/:code.pdf', async (req, res) => {
    const receipt = await loadReceipt(req);
    const { signature, pact } = receipt;
    const fmt = await signerFormatter(receipt, res.locals.language);
    // The statement is the pact's own sentence, in the instance's language whoever reads it (see receipt-pdf.ts).
    const statement = translatorFor(DEFAULT_LANGUAGE);
    const statementFmt = await signerFormatter(receipt, DEFAULT_LANGUAGE);
    await recordSignatureView(services, req, signature, 'pdf');
    const pdf = await renderReceiptPdf(
      {
        instanceName: res.locals.instance.name,
        instanceAddress: res.locals.instance.address,
        instanceLogo: res.locals.instance.logo?.printPng,
        pactTitle: pact.title,
        pactVersion: pact.version,
        pactBody: pact.body,
        identity: {
          fullName: signature.fullName,
          nip: signature.nip ? formatNip(signature.nip) : null,
          pangkat: signature.pangkat,
          position: signature.position,
          unitName: signature.unitName,
          actingAs: actingHeadTitle(statement, signature.headKind, signature.unitName),
        },
        // A sheet gives its day: that day, whatever the zone of the clocks that read its noon.
        placeAndDate: [
          pact.place,
          signature.paper
            ? statementFmt.formatDay(signature.paper.signedOn)
            : statementFmt.formatShortDate(signature.signedAt),
        ]
          .filter(Boolean)
          .join(', '),
        signaturePng: await services.signatures.image(signature.id),
        receiptCode: receipt.code,
        signedAtText:
          (await paperStatement(res.locals.t, fmt, receipt)) ?? fmt.formatDateTime(signature.signedAt),
        paperNote: signature.paper ? statement('receipt.document.paper_signature') : null,
        imageRemovedNote: signature.imageRemoved
          ? statement(`receipt.document.image_removed.${signature.imageRemoved.why}`, {
              at: statementFmt.formatShortDate(signature.imageRemoved.at),
              hash: signature.signatureSha256 ?? '',
            })
          : null,
        ceremonyText: ceremonyText(statement, statementFmt, receipt),
        verifyUrl: receipt.verifyUrl,
        qrPng: await qrPng(receipt.verifyUrl),
        ledger: {
          seq: receipt.ledgerEntry?.seq ?? 0,
          hash: receipt.ledgerEntry?.hash ?? '',
          legacyHash: receipt.ledgerEntry?.legacyHash ?? null,
        },
        voided:
          signature.status === 'voided' && signature.voidedAt
            ? { atText: fmt.formatDateTime(signature.voidedAt), reason: signature.voidReason ?? '' }
            : null,
      },
      res.locals.t,
    );
    res.type('application/pdf');
    res.set('Content-Disposition', `attachment; filename="tanda-terima-${receipt.code}.pdf"`);
    // Sealed with the instance's certificate (PAdES): a changed copy shows as broken in any PDF reader.
    res.send(await services.seal.sealPdf(pdf, { t: res.locals.t }));
  });

  router.get('/tanda-terima/:code', async (req, res) => renderReceipt(req, res, await loadReceipt(req)));

  router.post('/tanda-terima/:code/batal', requireRole('admin'), async (req, res) => {
    const receipt = await loadReceipt(req);
    const form = parseForm(voidSchema, req.body);
    const result = form.ok
      ? await voidSignature(services, {
          receiptCode: receipt.signature.receiptCode,
          reason: form.data.reason,
          actor: { ...actorOf(req), userId: (req.user as Express.User).id },
        })
      : ({ ok: false, reason: 'invalid', errors: form.errors } as const);
    if (!result.ok && result.reason === 'invalid') {
      return renderReceipt(req, res, receipt, 422, {
        errors: result.errors,
        values: { reason: typeof req.body?.reason === 'string' ? req.body.reason.slice(0, 500) : '' },
      });
    }
    flash(req, result.ok ? 'success' : 'warning', result.ok ? 'void.done' : 'void.already_voided');
    res.redirect(303, `/tanda-terima/${receipt.code}`);
  });

  return router;
}
