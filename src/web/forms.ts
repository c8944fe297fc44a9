import { z } from 'zod';
import { hasUnprintable } from '../core/text.js';
import { parseId } from './params.js';

/** Field name → catalogue key of the message shown beside that field. */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * A single-line text field: must be a string (not an array from `a=1&a=2`), within `max` characters and free of
 * unprintable characters. Messages are catalogue keys, translated by the view.
 */
export const textField = (options: { max: number; required?: boolean; trim?: boolean }) => {
  const base = z
    .string({ error: 'form.invalid' })
    .transform((v) => (options.trim === false ? v : v.trim()))
    .refine((v) => !hasUnprintable(v) && !/[\r\n\t]/.test(v), { message: 'form.unprintable' })
    .refine((v) => v.length <= options.max, { message: 'form.too_long' });
  return options.required === false
    ? base
    : base.refine((v) => v.length > 0, { message: 'form.required', abort: true });
};

const CATALOGUE_KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

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
    const message = submitted[field] === undefined ? 'form.required' : issue.message;
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
