import { z } from 'zod';
import { hasUnprintable } from '../core/text.js';
import { isDayInput } from '../web/datetime-input.js';
import { parseId } from '../web/params.js';
import type { AgreementFields } from './repository.js';
import { AGREEMENT_SCOPES, type RecordStatus } from './types.js';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const DOCUMENT_NUMBER_MAX = 100;
export const PARTIES_MAX = 300;
export const NOTE_MAX = 300;

/**
 * A text field whose every message names it ("Nomor dokumen wajib diisi."): `<key>.required`, `<key>.too_long`,
 * `<key>.unprintable` in the catalogue. Trimmed; `multiline` lets line breaks through (a description).
 */
function namedText(key: string, options: { max: number; required?: boolean; multiline?: boolean }) {
  const base = z
    .string({ error: 'form.invalid' })
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .refine((v) => !hasUnprintable(v) && (options.multiline || !/[\n\t]/.test(v)), {
      message: `${key}.unprintable`,
      abort: true,
    })
    .refine((v) => v.length <= options.max, { message: `${key}.too_long`, abort: true });
  return options.required === false
    ? base
    : base.refine((v) => v.length > 0, { message: `${key}.required`, abort: true });
}

/** A date input's value, '' for none. */
const dayField = (key: string) =>
  z
    .string({ error: `${key}.invalid` })
    .transform((v) => v.trim())
    .refine((v) => v === '' || isDayInput(v), { message: `${key}.invalid` });

/** The fields of the agreement form, in page order (kept and shown again when the form is refused). */
export const AGREEMENT_FORM_FIELDS = [
  'title',
  'description',
  'scope',
  'parent_unit_id',
  'deadline_on',
] as const;

export const agreementSchema = z.object({
  title: namedText('agreements.form.title', { max: TITLE_MAX }),
  description: namedText('agreements.form.description', {
    max: DESCRIPTION_MAX,
    required: false,
    multiline: true,
  }),
  scope: z.enum(AGREEMENT_SCOPES, { error: 'agreements.form.scope.invalid' }),
  parent_unit_id: z
    .string({ error: 'agreements.form.parent_unit_id.invalid' })
    .refine((v) => v === '' || parseId(v) !== null, { message: 'agreements.form.parent_unit_id.invalid' })
    .transform((v) => (v === '' ? null : Number(v))),
  deadline_on: dayField('agreements.form.deadline_on'),
});

export const toAgreementFields = (data: z.infer<typeof agreementSchema>): AgreementFields => ({
  title: data.title,
  description: data.description,
  scope: data.scope,
  parentUnitId: data.parent_unit_id,
  deadlineOn: data.deadline_on === '' ? null : data.deadline_on,
});

export const agreementFormValues = (fields: AgreementFields): Record<string, string> => ({
  title: fields.title,
  description: fields.description,
  scope: fields.scope,
  parent_unit_id: fields.parentUnitId === null ? '' : String(fields.parentUnitId),
  deadline_on: fields.deadlineOn ?? '',
});

/** The text fields of a unit's record form, in page order (the scan is the multipart body's file). */
export const RECORD_FORM_FIELDS = ['status', 'signed_on', 'document_number', 'parties', 'note'] as const;

/**
 * A unit's record as typed. A signed record needs its day, its number and its parties (the scan is checked with the
 * file, by the route and the operation); a unit marked as not signed has none of the first two.
 */
export const recordSchema = z
  .object({
    status: z.enum(['signed', 'not_signed'], { error: 'agreements.record.status.required' }),
    signed_on: dayField('agreements.record.signed_on'),
    document_number: namedText('agreements.record.document_number', {
      max: DOCUMENT_NUMBER_MAX,
      required: false,
    }),
    parties: namedText('agreements.record.parties', { max: PARTIES_MAX, required: false }),
    note: namedText('agreements.record.note', { max: NOTE_MAX, required: false, multiline: true }),
  })
  .superRefine((form, context) => {
    if (form.status !== 'signed') return;
    const required = {
      signed_on: form.signed_on,
      document_number: form.document_number,
      parties: form.parties,
    };
    for (const [field, value] of Object.entries(required)) {
      if (value === '') {
        context.addIssue({ code: 'custom', path: [field], message: `agreements.record.${field}.required` });
      }
    }
  });

/** What a unit's record says once parsed: the fields a status does not take are left out. */
export interface RecordInput {
  status: RecordStatus;
  signedOn: string | null;
  documentNumber: string | null;
  parties: string | null;
  note: string | null;
}

export const toRecordInput = (data: z.infer<typeof recordSchema>): RecordInput => {
  const signed = data.status === 'signed';
  return {
    status: data.status,
    signedOn: signed ? data.signed_on : null,
    documentNumber: signed ? data.document_number : null,
    parties: data.parties === '' ? null : data.parties,
    note: data.note === '' ? null : data.note,
  };
};

/** A form body with every field present: a field the browser left out (no radio chosen) is read as empty. */
export const withEveryField = (body: unknown, fields: readonly string[]): Record<string, unknown> => ({
  ...Object.fromEntries(fields.map((field) => [field, ''])),
  ...((body ?? {}) as Record<string, unknown>),
});
