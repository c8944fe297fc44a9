import { z } from 'zod';
import { hasUnprintable } from '../core/text.js';
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
 * A single-line text field: must be a string (not an array from `a=1&a=2`), within `max` characters and free of
 * unprintable characters. Messages are catalogue keys, translated by the view. With `label` (the catalogue key of
 * the field's name) the "required" and "too long" messages name the field: a summary of several problems then says
 * which is which.
 */
export const textField = (options: { max: number; required?: boolean; trim?: boolean; label?: string }) => {
  const { label } = options;
  const required = label ? namingField('form.required_named', label) : 'form.required';
  const tooLong = label ? namingField('form.too_long_named', label) : 'form.too_long';
  const base = z
    .string({ error: (issue) => (issue.input === undefined && label ? required : 'form.invalid') })
    .transform((v) => (options.trim === false ? v : v.trim()))
    .refine((v) => !hasUnprintable(v) && !/[\r\n\t]/.test(v), { message: 'form.unprintable' })
    .refine((v) => v.length <= options.max, { message: tooLong });
  return options.required === false
    ? base
    : base.refine((v) => v.length > 0, { message: required, abort: true });
};

/** A catalogue key, or a message naming its field (namingField): 'form.required_named:login.password'. */
const CATALOGUE_KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)+(:[a-z0-9_]+(\.[a-z0-9_]+)+)?$/;
/** A "required" message that names its field (textField's `label`), kept for a field missing from the body. */
const REQUIRED_MESSAGE = /^form\.required_named:/;

/** An optional id chosen in a select: '' for none. A crafted non-canonical id is refused like any bad value. */
export const optionalIdField = z
  .string({ error: 'form.invalid' })
  .refine((v) => v === '' || parseId(v) !== null, { message: 'form.invalid' })
  .transform((v) => (v === '' ? null : Number(v)));

/** Parses a form body; on failure returns the first message per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const submitted = (body ?? {}) as Record<string, unknown>;
  const result = schema.safeParse(submitted);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    const message =
      submitted[field] === undefined && !REQUIRED_MESSAGE.test(issue.message)
        ? 'form.required'
        : issue.message;
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
