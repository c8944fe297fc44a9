import { z } from 'zod';
import { hasUnprintable } from '../core/text.js';
import { isDayInput, isLocalInput } from './datetime-input.js';
import { parseId } from './params.js';

/** Field name → catalogue key of the message shown beside that field (or a message naming it: namingField). */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * A message that names its field ('Kata sandi wajib diisi.'): the catalogue key of a sentence with a `{field}`
 * placeholder and the catalogue key of the field's name, joined as one FieldErrors value that t() reads (see
 * createTranslator), so that the views show it as they show any other message.
 */
export const namingField = (messageKey: string, fieldKey: string): string => `${messageKey}:${fieldKey}`;

/**
 * A text field: must be a string (not an array from `a=1&a=2`), within `max` characters and free of unprintable
 * characters. Single-line unless `multiline` (a textarea: line breaks kept, as \n); trimmed unless `trim: false`.
 * Messages are catalogue keys, translated by the view. With `label` (the catalogue key of the field's name) every
 * message names the field ("Judul wajib diisi."): a summary of several problems then says which is which.
 */
export const textField = (options: {
  max: number;
  required?: boolean;
  trim?: boolean;
  multiline?: boolean;
  label?: string;
}) => {
  const { label, multiline = false } = options;
  const named = (messageKey: string) => (label ? namingField(`${messageKey}_named`, label) : messageKey);
  const required = named('form.required');
  const base = z
    .string({ error: (issue) => (issue.input === undefined && label ? required : named('form.invalid')) })
    .transform((v) => (multiline ? v.replace(/\r\n?/g, '\n') : v))
    .transform((v) => (options.trim === false ? v : v.trim()))
    .refine((v) => !hasUnprintable(v) && (multiline || !/[\r\n\t]/.test(v)), {
      message: named('form.unprintable'),
    })
    .refine((v) => v.length <= options.max, { message: named('form.too_long') });
  return options.required === false
    ? base
    : base.refine((v) => (multiline ? v.trim() : v).length > 0, { message: required, abort: true });
};

/** A day from a date input (tttt-bb-hh); '' when not required. Its messages name the field `label`. */
export const dayField = (options: { label: string; required?: boolean }) =>
  textField({ max: 10, ...options }).refine((v) => v === '' || isDayInput(v), {
    message: namingField('form.date_named', options.label),
  });

/** A day and time from a datetime-local input; '' when not required. Its messages name the field `label`. */
export const dateTimeField = (options: { label: string; required?: boolean }) =>
  textField({ max: 20, ...options }).refine((v) => v === '' || isLocalInput(v), {
    message: namingField('form.datetime_named', options.label),
  });

/** One of `values`, from a select or radio buttons: a missing or unknown choice names the field `label`. */
export const choiceField = <const T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: namingField('form.choose_named', label) });

/** A catalogue key, or a message naming its field (namingField): 'form.required_named:login.password'. */
const CATALOGUE_KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)+(:[a-z0-9_]+(\.[a-z0-9_]+)+)?$/;
/** A message that says nothing of its field: 'form.invalid', 'form.required'… */
const GENERIC_MESSAGE = /^form\.[a-z_]+$/;

/**
 * What to say of a field missing from the body altogether (a radio button left unchosen, a crafted request): its own
 * message when it names the field ("Jenis unit belum dipilih.", "Kata sandi wajib diisi.", "Pilih alasan
 * pengecualian"), else that it is required.
 */
const missingFieldMessage = (message: string): string =>
  GENERIC_MESSAGE.test(message) || !CATALOGUE_KEY.test(message) ? 'form.required' : message;

/**
 * An optional id chosen in a select: '' for none. A crafted non-canonical id is refused like any bad value, naming
 * the select `label` when given (a hidden field or a filter has none).
 */
export const optionalIdField = (label?: string) => {
  const invalid = label ? namingField('form.choose_named', label) : 'form.invalid';
  return z
    .string({ error: invalid })
    .refine((v) => v === '' || parseId(v) !== null, { message: invalid })
    .transform((v) => (v === '' ? null : Number(v)));
};

/** Parses a form body; on failure returns the first message per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const submitted = (body ?? {}) as Record<string, unknown>;
  const result = schema.safeParse(submitted);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    const message = submitted[field] === undefined ? missingFieldMessage(issue.message) : issue.message;
    // Our messages are catalogue keys ('sign.form.consent_required'); anything else is zod's own English.
    errors[field] ??= CATALOGUE_KEY.test(message) ? message : 'form.invalid';
  }
  return { ok: false, errors };
}

/**
 * The submitted values to show again in a re-rendered form (strings only; never passwords), each cut to
 * `maxLength` — give a form with a long text field its own field's limit, so that nothing typed is lost.
 */
export function keptValues(
  body: unknown,
  fields: readonly string[],
  maxLength = 1000,
): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    fields.map((field) => {
      const value = source[field];
      return [field, typeof value === 'string' ? value.slice(0, maxLength) : ''];
    }),
  );
}
