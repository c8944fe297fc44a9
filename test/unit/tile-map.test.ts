import { describe, expect, it } from 'vitest';
import { TILE_LAYOUTS, type TileLayout } from '../../src/directory/tile-layouts.js';
import { tileMap } from '../../src/directory/tile-map.js';
import { readReferenceUnits } from '../../src/directory/units/reference-units.js';

const jawaTengah = TILE_LAYOUTS.find((layout) => layout.region === 'Jawa Tengah') as TileLayout;
// The reference set the app loads (db/seeds/, the same file as the shared data's jateng-kabkota.json).
const kabkota = readReferenceUnits('jateng-kabkota');
const cellOf = (name: string) => jawaTengah.cells.find((cell) => cell.name === name);
const paint = (unit: { name: string }) => ({ tone: 'full', value: unit.name.length.toString() });
const empty = { tone: 'none', value: '—' };

describe('the Jawa Tengah tile layout', () => {
  it('has one square for each of the 35 kabupaten/kota, none sharing a square, code or abbreviation', () => {
    expect(jawaTengah.cells).toHaveLength(35);
    expect(new Set(jawaTengah.cells.map((cell) => `${cell.row},${cell.col}`)).size).toBe(35);
    expect(new Set(jawaTengah.cells.map((cell) => cell.code)).size).toBe(35);
    expect(new Set(jawaTengah.cells.map((cell) => cell.abbr)).size).toBe(35);
    for (const cell of jawaTengah.cells) {
      expect(cell.abbr).toMatch(/^[A-Z]{3}$/);
      expect(cell.row).toBeGreaterThanOrEqual(0);
      expect(cell.col).toBeGreaterThanOrEqual(0);
    }
  });

  it('has every kabupaten/kota of the reference data under its own code and name, a kota marked K', () => {
    expect(kabkota).toHaveLength(35);
    expect(kabkota.map((unit) => jawaTengah.cells.find((cell) => cell.code === unit.code)?.name)).toEqual(
      kabkota.map((unit) => unit.name),
    );
    for (const unit of kabkota.filter((u) => u.kind === 'kota')) {
      expect(jawaTengah.cells.find((cell) => cell.code === unit.code)?.abbr).toMatch(/^K/);
    }
  });

  it('places them by rough geography', () => {
    const at = (name: string) => cellOf(name) as { row: number; col: number };
    // West to east along the north coast, Jepara at the northern tip, Cilacap and Wonogiri in the south.
    expect(at('Kabupaten Brebes').col).toBeLessThan(at('Kota Tegal').col);
    expect(at('Kota Tegal').col).toBeLessThan(at('Kota Semarang').col);
    expect(at('Kota Semarang').col).toBeLessThan(at('Kabupaten Rembang').col);
    expect(at('Kabupaten Jepara').row).toBe(0);
    expect(at('Kabupaten Wonogiri').row).toBeGreaterThan(at('Kota Surakarta').row);
    expect(at('Kota Surakarta').row).toBeGreaterThan(at('Kabupaten Grobogan').row);
    expect(at('Kabupaten Cilacap').col).toBe(0);
  });
});

describe('tileMap', () => {
  it('draws every square of the layout, matched units painted and the rest left empty', () => {
    const map = tileMap([{ code: '33.18', name: 'Kabupaten Pati' }], paint, empty);
    expect(map?.region).toBe('Jawa Tengah');
    expect(map?.tiles).toHaveLength(35);
    expect(map?.width).toBe(110);
    expect(map?.height).toBe(50);
    expect(map?.tiles.find((tile) => tile.abbr === 'PTI')).toMatchObject({
      name: 'Kabupaten Pati',
      tone: 'full',
      value: '14',
      x: 90.3,
      y: 0.3,
      cx: 95,
    });
    expect(map?.tiles.filter((tile) => tile.tone === 'none')).toHaveLength(34);
  });

  it('matches a unit entered under another code by its name, in any case and spacing', () => {
    const map = tileMap([{ code: 'KAB-PATI', name: '  kabupaten   PATI ' }], paint, empty);
    expect(map?.tiles.find((tile) => tile.abbr === 'PTI')).toMatchObject({
      tone: 'full',
      name: '  kabupaten   PATI ',
    });
  });

  it('gives no map for no units, a unit of no layout, or two units on one square', () => {
    expect(tileMap([], paint, empty)).toBeNull();
    expect(
      tileMap(
        [
          { code: '33.18', name: 'Kabupaten Pati' },
          { code: '34.04', name: 'Kabupaten Sleman' },
        ],
        paint,
        empty,
      ),
    ).toBeNull();
    expect(
      tileMap(
        [
          { code: '33.18', name: 'Kabupaten Pati' },
          { code: 'PATI-2', name: 'Kabupaten Pati' },
        ],
        paint,
        empty,
      ),
    ).toBeNull();
  });

  it("uses another province's layout when its units are there, with no code changed", () => {
    const diy: TileLayout = {
      region: 'DI Yogyakarta',
      cells: [
        { code: '34.04', name: 'Kabupaten Sleman', abbr: 'SLM', row: 0, col: 1 },
        { code: '34.71', name: 'Kota Yogyakarta', abbr: 'KYK', row: 1, col: 1 },
      ],
    };
    const map = tileMap([{ code: '34.04', name: 'Kabupaten Sleman' }], paint, empty, [...TILE_LAYOUTS, diy]);
    expect(map?.region).toBe('DI Yogyakarta');
    expect(map?.tiles.map((tile) => [tile.abbr, tile.tone])).toEqual([
      ['SLM', 'full'],
      ['KYK', 'none'],
    ]);
  });
});
