import type { Audience } from '../pledges/types.js';
import { percentOf } from '../web/format.js';
import type { UnitCompliance } from './summary.js';

/** One bar: a unit (an all-ASN pact) or a kind of unit (a heads pact), and its share signed. */
export interface RankingBar {
  /** The unit's name, or null for a kind of unit (the view names it `unit.kind.<kind>`). */
  name: string | null;
  kind: string;
  signed: number;
  required: number;
  /** Signed of required by the one percentage rule (src/web/format.ts): the bar's length out of 100. */
  percent: number;
}

export interface RankingChart {
  /** What a bar stands for. */
  by: 'unit' | 'kind';
  bars: RankingBar[];
  /** How many there are in all: the chart draws at most RANKED_BARS, the lowest (the table has every unit). */
  total: number;
}

/**
 * Bars drawn at most. The nation's 603 units would be 600 bars (270 kB of page) that nobody reads; the ones at the
 * bottom are the ranking's point, and the table below lists everyone.
 */
export const RANKED_BARS = 20;

/** The lowest share first; among equal shares the most people still to sign, then by name. */
const lowestFirst = (a: RankingBar, b: RankingBar): number =>
  a.percent - b.percent ||
  b.required - b.signed - (a.required - a.signed) ||
  (a.name ?? a.kind).localeCompare(b.name ?? b.kind, 'id');

/**
 * The public page's ranking of units by share signed, lowest first (the RANKED_BARS lowest), from the counted units
 * of the cached summary.
 * For a heads pact each unit is at 0% or 100%, which ranks nothing: its bars are the kinds of unit instead (dinas,
 * badan, kabupaten …), each the share of its heads who signed.
 */
export function rankingChart(audience: Audience, units: readonly UnitCompliance[]): RankingChart {
  if (audience === 'all') {
    return {
      by: 'unit',
      bars: units
        .map((unit) => ({
          name: unit.name,
          kind: unit.kind,
          signed: unit.signed,
          required: unit.required,
          percent: unit.percent ?? 0,
        }))
        .sort(lowestFirst)
        .slice(0, RANKED_BARS),
      total: units.length,
    };
  }
  const kinds = new Map<string, { signed: number; required: number }>();
  for (const unit of units) {
    const kind = kinds.get(unit.kind) ?? { signed: 0, required: 0 };
    kind.signed += unit.signed;
    kind.required += unit.required;
    kinds.set(unit.kind, kind);
  }
  return {
    by: 'kind',
    bars: [...kinds]
      .map(([kind, { signed, required }]) => ({
        name: null,
        kind,
        signed,
        required,
        percent: percentOf(signed, required) ?? 0,
      }))
      .sort(lowestFirst),
    total: kinds.size,
  };
}
