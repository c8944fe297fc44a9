import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../audit/actor.js';
import type { AuditRepository } from '../../audit/repository.js';
import { endSession } from '../../auth/end-session.js';
import type { KeyedQueue } from '../../auth/keyed-queue.js';
import { checkPasswordAttempt } from '../../auth/password-attempts.js';
import { reauthenticationNeeded, ssoReauthenticationPath } from '../../auth/start-session.js';
import type { Clock } from '../../core/clock.js';
import { PASSWORD_MAX_LENGTH } from '../../credentials/password.js';
import type { Db } from '../../db/database.js';
import type { GroupCommit } from '../../db/group-commit.js';
import { actingHeadTitle } from '../../directory/head-kind.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { UserRepository } from '../../directory/user-repository.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import type { SessionRepository } from '../../sessions/session-repository.js';
import { flash } from '../../web/flash.js';
import { parseForm, textField } from '../../web/forms.js';
import { requireAuth } from '../../web/guards.js';
import { HttpError } from '../../web/http-error.js';
import { renderMarkdown } from '../../web/markdown.js';
import { myPacts, signingUnavailable } from '../my-pacts.js';
import { pactLoader } from '../pact-loader.js';
import type { PactRepository } from '../pact-repository.js';
import type { SignatureRepository } from '../signature-repository.js';
import type { Pact } from '../types.js';
import { signPactGrouped } from './sign-pact.js';
import { MAX_SIGNATURE_BYTES } from './signature-image.js';

const signSchema = z.object({
  consent: z.literal('1', { error: 'sign.form.consent_required' }).optional(),
  full_name: textField({ max: 200, label: 'sign.form.full_name_field' }),
  // A PNG data URL. Its size is judged by readSignatureImage, which says "too large" beside the drawing; this bound
  // only stops absurd input (the body limit stops the rest).
  signature: textField({ max: 4 * MAX_SIGNATURE_BYTES, required: false }).optional(),
  password: textField({ max: PASSWORD_MAX_LENGTH, trim: false, required: false }).optional(),
});

const SIGN_REFUSALS = {
  not_found: { status: 404, messageKey: 'error.404.message' },
  not_required: { status: 403, messageKey: 'sign.not_required' },
  not_open: { status: 409, messageKey: 'sign.not_open' },
  not_yet_open: { status: 409, messageKey: 'sign.not_yet_open' },
  deadline_passed: { status: 409, messageKey: 'sign.deadline_passed' },
} as const;

export function pledgeRoutes(services: {
  audit: AuditRepository;
  clock: Clock;
  db: Db;
  groupCommit: GroupCommit;
  ledger: LedgerRepository;
  pacts: PactRepository;
  passwordAttempts: KeyedQueue;
  sessions: SessionRepository;
  signatures: SignatureRepository;
  units: UnitRepository;
  users: UserRepository;
}): Router {
  const router = Router();
  router.use('/pakta', requireAuth);

  router.get('/pakta', async (req, res) => {
    const user = req.user as Express.User;
    res.render('pledges/signing/my-pacts', {
      title: res.locals.t('my_pacts.title'),
      ...(await myPacts(services, user.id)),
      now: services.clock.now(),
    });
  });

  /** The pact named in the URL, for a signer: drafts do not exist for them. */
  const loadPact = pactLoader(services.pacts, { param: 'id', drafts: 'hidden' });

  const renderSignPage = async (req: Request, res: Response, pact: Pact, status: number, locals = {}) => {
    const user = req.user as Express.User;
    const existing = await services.signatures.findValid(pact.id, user.id);
    const requirement = await services.pacts.requirement(pact.id, user.id);
    if (!existing && !requirement) throw new HttpError(403, 'sign.not_required');
    const now = services.clock.now();
    const unit = user.unitId ? await services.units.findById(user.unitId) : undefined;
    const unitName = unit?.name ?? '';
    res.status(status).render('pledges/signing/sign', {
      title: pact.title,
      pact,
      bodyHtml: renderMarkdown(pact.body),
      // As the signature will record them: an acting head signs as "Plt. Kepala …".
      signer: {
        fullName: user.fullName,
        nip: user.nip,
        pangkat: user.pangkat,
        position: user.position,
        unitName,
        actingAs: actingHeadTitle(res.locals.t, requirement?.asHead && unit ? unit.headKind : null, unitName),
      },
      signingDate: now,
      existing,
      unavailable: signingUnavailable(pact, now),
      needsPassword: reauthenticationNeeded(req.session, now) === 'password',
      preview: false,
      values: { full_name: '', consent: '', signature: '' },
      ...locals,
    });
  };

  router.get('/pakta/:id', async (req, res) => {
    const pact = await loadPact(req);
    const now = services.clock.now();
    // An SSO session proves again at its provider before the form is shown, not by a password it may not have;
    // only for someone the form is for (required, not signed yet): the others see the page as it is.
    const user = req.user as Express.User;
    if (
      reauthenticationNeeded(req.session, now) === 'sso' &&
      signingUnavailable(pact, now) === null &&
      !(await services.signatures.findValid(pact.id, user.id)) &&
      (await services.pacts.requirement(pact.id, user.id))
    ) {
      return res.redirect(ssoReauthenticationPath(`/pakta/${pact.id}`));
    }
    return renderSignPage(req, res, pact, 200);
  });

  router.post('/pakta/:id/tanda-tangan', async (req, res) => {
    const pact = await loadPact(req);
    const user = req.user as Express.User;
    const values = {
      full_name: typeof req.body?.full_name === 'string' ? req.body.full_name.slice(0, 200) : '',
      consent: req.body?.consent === '1' ? '1' : '',
      signature: typeof req.body?.signature === 'string' ? req.body.signature : '',
    };
    const form = parseForm(signSchema, req.body);
    if (!form.ok) return renderSignPage(req, res, pact, 400, { errors: form.errors, values });

    const reauthentication = reauthenticationNeeded(req.session, services.clock.now());
    // A form that stayed open past the 15 minutes: the provider first, then the form again.
    if (reauthentication === 'sso') return res.redirect(303, ssoReauthenticationPath(`/pakta/${pact.id}`));
    if (reauthentication === 'password') {
      // The page may have been opened before the 15 minutes were up, without a password field: ask, don't count.
      if (!form.data.password) {
        return renderSignPage(req, res, pact, 422, {
          errors: { password: 'sign.form.password_needed' },
          values,
        });
      }
      const outcome = await checkPasswordAttempt(services, {
        userId: user.id,
        password: form.data.password,
        actor: actorOf(req),
        failureAction: 'signing.password_refused',
      });
      if (outcome === 'locked' || outcome === 'locked_out') return endSession(services, req, res, 'terkunci');
      if (outcome !== 'accepted') {
        return renderSignPage(req, res, pact, 422, {
          errors: { password: 'sign.form.password_wrong' },
          values,
        });
      }
      req.session.authenticatedAt = services.clock.now().getTime();
    }

    const result = await signPactGrouped(services, {
      pactId: pact.id,
      signer: user,
      consent: form.data.consent === '1',
      typedName: form.data.full_name,
      signatureDataUrl: form.data.signature ?? '',
      actor: actorOf(req),
    });
    if (result.ok) {
      // Said once, on the receipt this signing leads to: not on every later visit of the receipt.
      if (result.alreadySigned) flash(req, 'info', 'sign.already_signed');
      else flash(req, 'success', 'receipt.success');
      return res.redirect(303, `/tanda-terima/${result.receiptCode}`);
    }
    if (result.reason === 'invalid')
      return renderSignPage(req, res, pact, 422, { errors: result.errors, values });
    const refusal = SIGN_REFUSALS[result.reason];
    throw new HttpError(refusal.status, refusal.messageKey);
  });

  return router;
}
