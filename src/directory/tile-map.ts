import { TILE_LAYOUTS, type TileCell, type TileLayout } from './tile-layouts.js';

/** A square's side in the SVG's units; the square drawn inside it leaves a gap to its neighbours. */
const CELL = 10;
const GAP = 0.6;

/** How a square is drawn: its colour class (`tile-tone-<tone>`) and the value written under its abbreviation. */
export interface TilePaint {
  tone: string;
  value: string;
}

/** One square as the view draws it: the region, its paint and where it goes (geometry computed here). */
export interface MapTile extends TilePaint {
  code: string;
  name: string;
  abbr: string;
  x: number;
  y: number;
  size: number;
  /** The centre line of the texts, and the baselines of the abbreviation and the value. */
  cx: number;
  abbrY: number;
  valueY: number;
}

/** A line of a map's legend: a tone's square and what it means. */
export interface TileLegendEntry {
  tone: string;
  label: string;
}

export interface TileMap {
  region: string;
  /** The SVG's viewBox: columns and rows times a square's side. */
  width: number;
  height: number;
  /** Every square of the layout in its own order (the regions' codes), whether a unit matched it or not. */
  tiles: MapTile[];
}

const nameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('id');

/**
 * The cell of each unit in `layout` (by code, or else by name), or null when a unit has none or two units take one
 * cell: a map that left a unit out or drew two in one square would mislead.
 */
function place<T extends { code: string; name: string }>(
  units: readonly T[],
  layout: TileLayout,
): Map<TileCell, T> | null {
  const byCode = new Map(layout.cells.map((cell) => [cell.code, cell]));
  const byName = new Map(layout.cells.map((cell) => [nameKey(cell.name), cell]));
  const placed = new Map<TileCell, T>();
  for (const unit of units) {
    const cell = byCode.get(unit.code) ?? byName.get(nameKey(unit.name));
    if (cell === undefined || placed.has(cell)) return null;
    placed.set(cell, unit);
  }
  return placed;
}

/**
 * A tile map of `units` (kabupaten/kota): the first layout that has a square for every one of them, each square
 * painted by `paint` and the squares of the layout that no unit matched by `empty`. Null when there is no unit or
 * no layout fits, so an instance of another province simply shows no map.
 */
export function tileMap<T extends { code: string; name: string }>(
  units: readonly T[],
  paint: (unit: T) => TilePaint,
  empty: TilePaint,
  layouts: readonly TileLayout[] = TILE_LAYOUTS,
): TileMap | null {
  if (units.length === 0) return null;
  for (const layout of layouts) {
    const placed = place(units, layout);
    if (placed === null) continue;
    const columns = Math.max(...layout.cells.map((cell) => cell.col)) + 1;
    const rows = Math.max(...layout.cells.map((cell) => cell.row)) + 1;
    return {
      region: layout.region,
      width: columns * CELL,
      height: rows * CELL,
      tiles: layout.cells.map((cell) => {
        const unit = placed.get(cell);
        const x = cell.col * CELL;
        const y = cell.row * CELL;
        return {
          code: cell.code,
          name: unit?.name ?? cell.name,
          abbr: cell.abbr,
          ...(unit === undefined ? empty : paint(unit)),
          x: x + GAP / 2,
          y: y + GAP / 2,
          size: CELL - GAP,
          cx: x + CELL / 2,
          abbrY: y + 4.4,
          valueY: y + 8,
        };
      }),
    };
  }
  return null;
}
