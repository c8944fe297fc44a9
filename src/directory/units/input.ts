import type { UnitKind } from './kinds.js';

/** What an admin fills in for a unit, already parsed from the form. */
export interface UnitInput {
  code: string;
  name: string;
  kind: UnitKind;
}

/** Field → catalogue key: what an operation refused about a form, shown beside the field. */
export type UnitFieldErrors = Record<string, string>;
