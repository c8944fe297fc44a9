import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvRow, toCsv } from '../../src/web/csv.js';

/** A reader for what csvRow writes (RFC 4180 with ';'), to check that values come back exactly. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('csvCell', () => {
  it('writes plain text, numbers and empty values as they are', () => {
    expect(csvCell('Dewi Lestari')).toBe('Dewi Lestari');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('quotes the separator, commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('kata "kunci"')).toBe('"kata ""kunci"""');
    expect(csvCell('baris\nbaru')).toBe('"baris\nbaru"');
    expect(csvCell('baris\r\nbaru')).toBe('"baris\r\nbaru"');
    expect(csvCell(' spasi')).toBe('" spasi"');
  });

  it.each([
    ['=HYPERLINK("http://jahat.test","klik")', `"'=HYPERLINK(""http://jahat.test"",""klik"")"`],
    ['=1+1', "'=1+1"],
    ['+62 24 8311282', "'+62 24 8311282"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['  =1+1', "'  =1+1"],
    ['\uff1d1+1', "'\uff1d1+1"],
  ])('neutralises a formula in %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('leaves text with a formula character later on alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('user@uji.test')).toBe('user@uji.test');
  });
});

describe('csvRow and toCsv', () => {
  it('joins cells with ";" and ends lines with CRLF, after a byte order mark', () => {
    expect(csvRow(['a', 1, null], 'id')).toBe('a;1;\r\n');
    expect(
      toCsv(
        [
          ['x', 'y'],
          ['1', '2'],
        ],
        'id',
      ),
    ).toBe(`${CSV_BOM}x;y\r\n1;2\r\n`);
    // A translator made by hand names no language: Indonesian.
    expect(csvRow(['a', 'b'], undefined)).toBe('a;b\r\n');
  });

  it('joins an English file with "," (what Excel in an English locale splits on), quoting cells that hold one', () => {
    expect(csvRow(['Dinas Kesehatan', 66.7, 'Semarang, Jawa Tengah'], 'en')).toBe(
      'Dinas Kesehatan,66.7,"Semarang, Jawa Tengah"\r\n',
    );
  });

  it('reads back to the same values (formulas with their apostrophe)', () => {
    const rows = [
      ['nama', 'rincian'],
      ['Budi; "Santoso"', 'baris satu\nbaris dua'],
      ['=cmd|" /C calc"!A0', ''],
    ];
    const text = toCsv(rows, 'id').slice(CSV_BOM.length);
    expect(parseCsv(text)).toEqual([rows[0], rows[1], [`'=cmd|" /C calc"!A0`, '']]);
  });
});
