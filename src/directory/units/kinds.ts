/** The kinds of unit an admin may choose, each named `unit.kind.<kind>` in the catalogue. */
export const UNIT_KINDS = [
  'sekretariat',
  'biro',
  'dinas',
  'badan',
  'inspektorat',
  'satpol',
  'rsud',
  'kabupaten',
  'kota',
  'bagian',
  'bidang',
  'lainnya',
] as const;

export type UnitKind = (typeof UNIT_KINDS)[number];
