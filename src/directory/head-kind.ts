import type { Translate } from '../web/i18n.js';

/**
 * How a unit's head holds the post (migration 021 holds the same list in CHECKs): definitive, or acting as Plt
 * (Pelaksana Tugas: the post is vacant) or Plh (Pelaksana Harian: the head is away). An acting head heads the unit
 * for the pacts as a definitive one does.
 */
export const HEAD_KINDS = ['definitif', 'plt', 'plh'] as const;

export type HeadKind = (typeof HEAD_KINDS)[number];

/** How the head was appointed: the kind, from which day ('YYYY-MM-DD') and by which decree (SK number). */
export interface HeadAppointment {
  kind: HeadKind;
  since: string | null;
  decree: string | null;
}

/** A head appointed without a date or decree on record: what choosing a head meant before acting heads. */
export const DEFINITIVE: HeadAppointment = { kind: 'definitif', since: null, decree: null };

/** 'Plt. Kepala Dinas Kesehatan' for a head who signed as an acting head; null for a definitive head or none. */
export const actingHeadTitle = (t: Translate, kind: HeadKind | null, unitName: string): string | null =>
  kind === 'plt' || kind === 'plh' ? t(`head.acting_title.${kind}`, { unit: unitName }) : null;
