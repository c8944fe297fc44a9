// Where each kabupaten/kota sits on a tile map: one square each on a grid, placed by rough geography (row 0 is the
// north, column 0 the west), keyed by the unit's code (the BPS code, as db/seeds/jateng-kabkota.json has it) and,
// for units entered with another code, by its name. Data only: a province gets a map by adding its layout here.

/** One region's square on a tile map. */
export interface TileCell {
  code: string;
  name: string;
  /** Shown in the square: three or four letters, a leading K for a kota. */
  abbr: string;
  row: number;
  col: number;
}

export interface TileLayout {
  /** The province the layout draws, e.g. 'Jawa Tengah'. */
  region: string;
  cells: readonly TileCell[];
}

/**
 * The 35 kabupaten/kota of Jawa Tengah, west to east in 11 columns and north to south in 5 rows: Brebes and Tegal
 * in the west, Rembang and Blora in the east, Jepara at the northern tip; the gap in the south is Yogyakarta.
 */
const JAWA_TENGAH: TileLayout = {
  region: 'Jawa Tengah',
  cells: [
    { code: '33.01', name: 'Kabupaten Cilacap', abbr: 'CLP', row: 3, col: 0 },
    { code: '33.02', name: 'Kabupaten Banyumas', abbr: 'BMS', row: 3, col: 1 },
    { code: '33.03', name: 'Kabupaten Purbalingga', abbr: 'PBG', row: 2, col: 2 },
    { code: '33.04', name: 'Kabupaten Banjarnegara', abbr: 'BJN', row: 3, col: 2 },
    { code: '33.05', name: 'Kabupaten Kebumen', abbr: 'KBM', row: 3, col: 3 },
    { code: '33.06', name: 'Kabupaten Purworejo', abbr: 'PWR', row: 4, col: 3 },
    { code: '33.07', name: 'Kabupaten Wonosobo', abbr: 'WSB', row: 2, col: 4 },
    { code: '33.08', name: 'Kabupaten Magelang', abbr: 'MGL', row: 3, col: 5 },
    { code: '33.09', name: 'Kabupaten Boyolali', abbr: 'BYL', row: 3, col: 6 },
    { code: '33.10', name: 'Kabupaten Klaten', abbr: 'KLT', row: 4, col: 6 },
    { code: '33.11', name: 'Kabupaten Sukoharjo', abbr: 'SKH', row: 4, col: 7 },
    { code: '33.12', name: 'Kabupaten Wonogiri', abbr: 'WNG', row: 4, col: 8 },
    { code: '33.13', name: 'Kabupaten Karanganyar', abbr: 'KRA', row: 3, col: 8 },
    { code: '33.14', name: 'Kabupaten Sragen', abbr: 'SRG', row: 2, col: 8 },
    { code: '33.15', name: 'Kabupaten Grobogan', abbr: 'GRB', row: 1, col: 8 },
    { code: '33.16', name: 'Kabupaten Blora', abbr: 'BLA', row: 1, col: 9 },
    { code: '33.17', name: 'Kabupaten Rembang', abbr: 'RBG', row: 0, col: 10 },
    { code: '33.18', name: 'Kabupaten Pati', abbr: 'PTI', row: 0, col: 9 },
    { code: '33.19', name: 'Kabupaten Kudus', abbr: 'KDS', row: 0, col: 8 },
    { code: '33.20', name: 'Kabupaten Jepara', abbr: 'JPR', row: 0, col: 7 },
    { code: '33.21', name: 'Kabupaten Demak', abbr: 'DMK', row: 1, col: 7 },
    { code: '33.22', name: 'Kabupaten Semarang', abbr: 'SMG', row: 2, col: 6 },
    { code: '33.23', name: 'Kabupaten Temanggung', abbr: 'TMG', row: 2, col: 5 },
    { code: '33.24', name: 'Kabupaten Kendal', abbr: 'KDL', row: 1, col: 5 },
    { code: '33.25', name: 'Kabupaten Batang', abbr: 'BTG', row: 1, col: 4 },
    { code: '33.26', name: 'Kabupaten Pekalongan', abbr: 'PKL', row: 2, col: 3 },
    { code: '33.27', name: 'Kabupaten Pemalang', abbr: 'PML', row: 1, col: 2 },
    { code: '33.28', name: 'Kabupaten Tegal', abbr: 'TGL', row: 2, col: 1 },
    { code: '33.29', name: 'Kabupaten Brebes', abbr: 'BBS', row: 1, col: 0 },
    { code: '33.71', name: 'Kota Magelang', abbr: 'KMG', row: 3, col: 4 },
    { code: '33.72', name: 'Kota Surakarta', abbr: 'KSK', row: 3, col: 7 },
    { code: '33.73', name: 'Kota Salatiga', abbr: 'KSL', row: 2, col: 7 },
    { code: '33.74', name: 'Kota Semarang', abbr: 'KSM', row: 1, col: 6 },
    { code: '33.75', name: 'Kota Pekalongan', abbr: 'KPK', row: 1, col: 3 },
    { code: '33.76', name: 'Kota Tegal', abbr: 'KTG', row: 1, col: 1 },
  ],
};

/** Every layout Ikrar knows; an instance whose kabupaten/kota match none of them shows no map. */
export const TILE_LAYOUTS: readonly TileLayout[] = [JAWA_TENGAH];
