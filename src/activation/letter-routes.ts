import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { Config } from '../core/config.js';
import type { TimeZone } from '../core/time-zone.js';
import { normaliseNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import { type InstanceSettings, letterheadOf } from '../settings/instance.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { choiceField, type FieldErrors, keptValues, optionalIdField, parseForm } from '../web/forms.js';
import { notFound } from '../web/http-error.js';
import { parseId } from '../web/params.js';
import { activationLink } from './activation-link.js';
import { issueLetters } from './issue-letters.js';
import { LETTER_LAYOUTS, type LetterBatch, type LetterBatchRepository } from './letter-batch-repository.js';
import { writeLetters } from './letter-pdf.js';
import {
  type LetterSelection,
  MAX_LETTERS,
  MAX_SELECTED,
  selectRecipients,
  unitsOfManager,
} from './recipients.js';

/** Typed NIPs one request may list: more than a hand-picked list, so the page says to choose a unit instead. */
const MAX_TYPED_NIPS = 2000;
/** A run still "printing" after this long lost its process: it may be printed again. */
const STALE_PRINT_MS = 30 * 60 * 1000;

const FIELDS = ['kind', 'unit_id', 'subtree', 'import_id', 'nips', 'layout', 'resets'] as const;

const letterSchema = z.object({
  kind: z.enum(['unit', 'import', 'list'], { error: 'activation.letters.kind_required' }),
  unit_id: optionalIdField('activation.letters.unit').optional(),
  subtree: z.enum(['1']).optional(),
  import_id: optionalIdField('activation.letters.import').optional(),
  nips: z
    .string({ error: 'form.invalid' })
    .max(MAX_TYPED_NIPS * 40, { error: 'activation.letters.too_many_nips' })
    .optional(),
  layout: choiceField(LETTER_LAYOUTS, 'activation.letters.layout'),
  resets: z.enum(['1']).optional(),
});

type LetterForm = z.infer<typeof letterSchema>;

/** The typed NIP list, split on anything between numbers; the entries that are not 18 digits come back apart. */
function readNipList(text: string): { nips: string[]; bad: string[] } {
  const entries = text
    .split(/[\n,;]+/)
    .map(normaliseNip)
    .filter((entry) => entry !== '');
  return {
    nips: [...new Set(entries.filter((entry) => /^[0-9]{18}$/.test(entry)))],
    bad: entries.filter((entry) => !/^[0-9]{18}$/.test(entry)),
  };
}

/** The selection a valid form asks for, or the field errors that keep it from being one. */
function selectionOf(
  form: LetterForm,
): { selection: LetterSelection } | { errors: FieldErrors; bad?: string[] } {
  if (form.kind === 'unit') {
    return form.unit_id
      ? { selection: { kind: 'unit', unitId: form.unit_id, subtree: form.subtree === '1' } }
      : { errors: { unit_id: 'activation.letters.unit_required' } };
  }
  if (form.kind === 'import') {
    return form.import_id
      ? { selection: { kind: 'import', importId: form.import_id } }
      : { errors: { import_id: 'activation.letters.import_required' } };
  }
  const { nips, bad } = readNipList(form.nips ?? '');
  if (bad.length > 0) return { errors: { nips: 'activation.letters.nips_invalid' }, bad };
  if (nips.length === 0) return { errors: { nips: 'activation.letters.nips_required' } };
  if (nips.length > MAX_TYPED_NIPS) return { errors: { nips: 'activation.letters.too_many_nips' } };
  return { selection: { kind: 'list', nips } };
}

/** /admin/surat-aktivasi: activation letters for people without email (admins for anyone, operators their subtree). */
export function letterRoutes(
  services: Parameters<typeof issueLetters>[0] & {
    instanceSettings: () => Promise<InstanceSettings>;
    letterBatches: LetterBatchRepository;
    timeZone: TimeZone;
  },
  config: Config,
): Router {
  const router = Router();
  const manager = (req: Request): User => req.user as User;
  // With SSO as the only way in, nobody logs in with a password: letters would hand out codes to nothing.
  if (config.oidcOnly) {
    router.use((req, res) =>
      renderAdminPage(res.status(req.method === 'GET' ? 200 : 403), 'activation/letters-off', {
        title: res.locals.t('activation.letters.title'),
      }),
    );
  }

  const renderForm = async (
    req: Request,
    res: Response,
    status: number,
    locals: Record<string, unknown> = {},
  ) => {
    const me = manager(req);
    renderAdminPage(res.status(status), 'activation/letters', {
      title: res.locals.t('activation.letters.title'),
      units: await unitsOfManager(services, me),
      imports: await services.rosterImports.recentApplied(me.role === 'admin' ? null : me.id, 20),
      batches: await services.letterBatches.recentOf(me.id, 10),
      isAdmin: me.role === 'admin',
      maxLetters: MAX_LETTERS,
      maxSelected: MAX_SELECTED,
      values: {
        kind: typeof req.query.impor === 'string' ? 'import' : 'unit',
        unit_id: typeof req.query.unit === 'string' ? req.query.unit : '',
        subtree: '1',
        import_id: typeof req.query.impor === 'string' ? req.query.impor : '',
        nips: '',
        layout: 'a4',
        resets: '',
      },
      badNips: [],
      ...locals,
    });
  };

  /** Describes the selection in the words the preview, the audit log and the list of runs use. */
  const describe = async (res: Response, selection: LetterSelection): Promise<string> => {
    const t = res.locals.t;
    if (selection.kind === 'unit') {
      const unit = await services.units.findById(selection.unitId);
      return t(selection.subtree ? 'activation.letters.of_subtree' : 'activation.letters.of_unit', {
        unit: unit?.name ?? '',
      });
    }
    if (selection.kind === 'import') {
      const record = await services.rosterImports.findById(selection.importId);
      return t('activation.letters.of_import', { id: selection.importId, file: record?.fileName ?? '' });
    }
    return t('activation.letters.of_list', { n: selection.nips.length });
  };

  router.get('/', (req, res) => renderForm(req, res, 200));

  router.post('/', async (req, res) => {
    const me = manager(req);
    const values = keptValues(req.body, FIELDS, MAX_TYPED_NIPS * 40);
    const form = parseForm(letterSchema, req.body);
    if (!form.ok) return renderForm(req, res, 400, { values, errors: form.errors });
    const chosen = selectionOf(form.data);
    if ('errors' in chosen)
      return renderForm(req, res, 400, { values, errors: chosen.errors, badNips: chosen.bad ?? [] });
    const resets = form.data.resets === '1' && me.role === 'admin';
    const selected = await selectRecipients(services, { manager: me, selection: chosen.selection, resets });
    if (!selected.ok && selected.reason === 'not_found') {
      const field = chosen.selection.kind === 'import' ? 'import_id' : 'unit_id';
      return renderForm(req, res, 404, { values, errors: { [field]: 'activation.letters.not_found' } });
    }
    if (!selected.ok) {
      return renderForm(req, res, 422, {
        values,
        errors: { kind: 'activation.letters.too_many' },
        tooMany: { key: 'activation.letters.too_big_detail', n: selected.people },
      });
    }
    const list = selected.list;
    const total = list.recipients.length;
    if (total > MAX_LETTERS) {
      return renderForm(req, res, 422, {
        values,
        errors: { kind: 'activation.letters.too_many' },
        tooMany: { key: 'activation.letters.too_many_detail', n: total },
      });
    }
    if (total === 0) {
      return renderForm(req, res, 422, {
        values,
        errors: { kind: 'activation.letters.nobody' },
        outcome: list,
      });
    }
    const batchId = await services.letterBatches.insert({
      createdBy: me.id,
      createdAt: services.clock.now(),
      description: await describe(res, chosen.selection),
      layout: form.data.layout,
      resets,
      recipientIds: list.recipients.map((r) => r.user.id),
    });
    renderBatch(res, 200, (await services.letterBatches.findById(batchId)) as LetterBatch, {
      outcome: list,
      preview: list.recipients.slice(0, 20),
    });
  });

  const loadBatch = async (req: Request): Promise<LetterBatch> => {
    const id = parseId(req.params.id);
    const batch = id ? await services.letterBatches.findById(id) : undefined;
    // A run is its creator's: it holds the codes they will hand out.
    if (!batch || batch.createdBy !== manager(req).id) throw notFound();
    return batch;
  };

  const renderBatch = (
    res: Response,
    status: number,
    batch: LetterBatch,
    locals: Record<string, unknown> = {},
  ) =>
    renderAdminPage(res.status(status), 'activation/batch', {
      title: res.locals.t('activation.batch.title', { id: batch.id }),
      batch,
      outcome: null,
      preview: [],
      ...locals,
    });

  router.get('/:id', async (req, res) => renderBatch(res, 200, await loadBatch(req)));

  router.get('/:id/status', async (req, res) => {
    const batch = await loadBatch(req);
    res.json({ status: batch.status, printed: batch.printed, total: batch.total });
  });

  /** The PDF, written as it is drawn; the run's progress is stored as it goes for the page to show. */
  router.post('/:id/cetak', async (req, res) => {
    const batch = await loadBatch(req);
    const instance = await services.instanceSettings();
    const now = services.clock.now();
    if (!(await services.letterBatches.claim(batch.id, now, new Date(now.getTime() - STALE_PRINT_MS)))) {
      return renderBatch(res, 409, batch, { refusal: 'activation.batch.already_printed' });
    }
    const me = manager(req);
    let letters: Awaited<ReturnType<typeof issueLetters>>;
    try {
      letters = await issueLetters(services, {
        batch,
        manager: me,
        actor: actorOf(req),
        days: instance.activationDays,
      });
    } catch (err) {
      await services.letterBatches.finish(batch.id, 'failed', 0, services.clock.now());
      throw err;
    }
    if (letters.length === 0) {
      await services.letterBatches.finish(batch.id, 'done', 0, services.clock.now());
      return renderBatch(res, 409, batch, { refusal: 'activation.batch.nobody_left' });
    }
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="surat-aktivasi-${batch.id}.pdf"`,
      'Cache-Control': 'no-store',
    });
    let printed = 0;
    try {
      await writeLetters(res, letters, {
        layout: batch.layout,
        letterheadIn: (t) => letterheadOf(instance, t),
        activationUrl: `${config.baseUrl}/aktivasi`,
        linkOf: (letter) => activationLink(config.baseUrl, letter.user.nip as string, letter.code),
        printedBy: me.fullName,
        printedAt: now,
        t: res.locals.t,
        zone: services.timeZone,
        onProgress: async (n) => {
          printed = n;
          await services.letterBatches.setPrinted(batch.id, n);
        },
      });
      await services.letterBatches.finish(batch.id, 'done', letters.length, services.clock.now());
    } catch (err) {
      // The reader left or the drawing failed: the codes exist, but their letters never arrived whole.
      await services.letterBatches.finish(batch.id, 'failed', printed, services.clock.now());
      if (!res.headersSent) throw err;
      res.destroy();
    }
  });

  return router;
}
