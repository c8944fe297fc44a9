import { kindsOf } from '../agreements/types.js';
import { type TileLegendEntry, type TileMap, tileMap } from '../directory/tile-map.js';
import type { Formatter } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import type { UnitCompliance } from './summary.js';

/** The colours of the map, from the share signed: below 50%, below 80%, below 100%, and everyone. */
const SHARE_TONES = [
  { tone: 'low', below: 50 },
  { tone: 'mid', below: 80 },
  { tone: 'high', below: 100 },
] as const;
const FULL = 'full';
/** A square whose kabupaten/kota the pact does not ask anyone of. */
const NONE = 'none';

export const shareTone = (percent: number): string =>
  SHARE_TONES.find((bin) => percent < bin.below)?.tone ?? FULL;

/**
 * The kabupaten/kota of `units` (the counted units of a pact's cached summary) on a tile map, each square coloured
 * by its share signed and showing it; null when the pact asks nobody in a kabupaten/kota, or their layout is unknown
 * (see src/directory/tile-map.ts).
 */
export function shareMap(units: readonly UnitCompliance[], fmt: Formatter): TileMap | null {
  const regionKinds = kindsOf('kabkota');
  return tileMap(
    units.filter((unit) => regionKinds.includes(unit.kind)),
    (unit) => ({ tone: shareTone(unit.percent ?? 0), value: fmt.formatPercent((unit.percent ?? 0) / 100) }),
    { tone: NONE, value: '—' },
  );
}

/** The map's legend: every colour of share, and the blank square when the map has one. */
export function shareLegend(map: TileMap, t: Translate): TileLegendEntry[] {
  const tones: string[] = [...SHARE_TONES.map((bin) => bin.tone), FULL];
  if (map.tiles.some((tile) => tile.tone === NONE)) tones.push(NONE);
  return tones.map((tone) => ({ tone, label: t(`compliance.map.tone.${tone}`) }));
}
