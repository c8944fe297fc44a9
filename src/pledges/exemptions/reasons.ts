/**
 * Why someone is excused from a pact: the situations in which an ASN cannot sign (SE MenPAN-RB and BKN practice):
 * leave outside state service (CLTN), study leave, maternity or long sick leave, retirement, death, temporary
 * dismissal, or another reason that must be written out.
 */
export const EXEMPTION_REASONS = [
  'cltn',
  'tugas_belajar',
  'cuti_panjang',
  'pensiun',
  'meninggal',
  'diberhentikan_sementara',
  'lainnya',
] as const;
export type ExemptionReason = (typeof EXEMPTION_REASONS)[number];
