import { type TileLegendEntry, type TileMap, tileMap } from '../directory/tile-map.js';
import type { Translate } from '../web/i18n.js';
import { type AgreementSummary, kindsOf } from './types.js';

/**
 * An agreement's kabupaten/kota on the tile map (src/directory/tile-map.ts), each square saying whether it signed,
 * with its legend; null when the agreement is not for kabupaten/kota or their layout is unknown.
 */
export function agreementMap(
  summary: AgreementSummary,
  t: Translate,
): (TileMap & { legend: TileLegendEntry[] }) | null {
  const regionKinds = kindsOf('kabkota');
  const map = tileMap(
    summary.units.filter((unit) => regionKinds.includes(unit.kind)),
    (unit) =>
      unit.state === 'signed'
        ? { tone: 'full', value: t('agreements.state.signed_short') }
        : { tone: 'low', value: t('agreements.state.outstanding_short') },
    { tone: 'none', value: '—' },
  );
  if (map === null) return null;
  const legend = [
    { tone: 'full', label: t('agreements.state.signed') },
    { tone: 'low', label: t('agreements.state.outstanding') },
  ];
  if (map.tiles.some((tile) => tile.tone === 'none')) {
    legend.push({ tone: 'none', label: t('agreements.map.not_in_scope') });
  }
  return { ...map, legend };
}
