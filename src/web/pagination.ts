import { HttpError } from './http-error.js';

export interface Page {
  /** 1-based. */
  number: number;
  count: number;
  offset: number;
  size: number;
  total: number;
}

/**
 * The page asked for in `?halaman=` (1 when absent), checked against how many there are. A page number that is
 * not a positive integer is a 400; one past the end shows the last page.
 */
export function pageFromQuery(value: unknown, total: number, size: number): Page {
  const count = Math.max(1, Math.ceil(total / size));
  if (value !== undefined && (typeof value !== 'string' || !/^[1-9]\d{0,6}$/.test(value))) {
    throw new HttpError(400, 'error.400.message');
  }
  const number = Math.min(value === undefined ? 1 : Number(value), count);
  return { number, count, offset: (number - 1) * size, size, total };
}
