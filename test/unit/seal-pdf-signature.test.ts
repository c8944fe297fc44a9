import { describe, expect, it } from 'vitest';
import { findPdfSignatures, MAX_SIGNATURES, receiptCodeIn } from '../../src/seal/pdf-signature.js';

/**
 * A file laid out as a signed PDF is: `before`, the /Contents hex string (the hole), `after`, with a /ByteRange in
 * `before` naming exactly those ranges (or `range`), its numbers padded so that writing them moves nothing.
 */
function signedFile(
  hex: string,
  options: { before?: string; after?: string; range?: (b: number, c: number, d: number) => string } = {},
) {
  const head = `%PDF-1.3\n${options.before ?? ''}1 0 obj\n<< /Type /Sig /ByteRange [0 BBBBBBBBBB CCCCCCCCCC DDDDDDDDDD] /Contents `;
  const after = options.after ?? ' >>\nendobj\ntrailer\n<< >>\n%%EOF\n';
  const b = head.length;
  const c = b + hex.length + 2;
  const d = after.length;
  const range = (options.range?.(b, c, d) ?? `0 ${b} ${c} ${d}`).padEnd(34, ' ');
  const text = `${head.replace(/0 B+ C+ D+/, range)}<${hex}>${after}`;
  return { pdf: Buffer.from(text, 'latin1'), b, c, d, head: head.replace(/0 B+ C+ D+/, range), after };
}

/** The kinds of signature found in `pdf`, the latest first. */
const kinds = (pdf: Buffer) => findPdfSignatures(pdf).map((found) => found.kind);

describe('findPdfSignatures', () => {
  it('finds no signature in a PDF without a /ByteRange', () => {
    expect(findPdfSignatures(Buffer.from('%PDF-1.3\n1 0 obj\n<< /Title (x) >>\nendobj\n%%EOF\n'))).toEqual(
      [],
    );
  });

  it('reads the ranges, the CMS with its padding, and the bytes the ranges cover', () => {
    const { pdf, b, c, d, head, after } = signedFile('3082000a0000');
    expect(findPdfSignatures(pdf)).toEqual([
      {
        kind: 'signature',
        signature: {
          byteRange: [0, b, c, d],
          cms: Buffer.from([0x30, 0x82, 0x00, 0x0a, 0x00, 0x00]),
          signedBytes: Buffer.from(head + after, 'latin1'),
          coversWholeFile: true,
        },
      },
    ]);
  });

  it('says when bytes were added after the signed ranges', () => {
    const { pdf } = signedFile('3000');
    const longer = Buffer.concat([pdf, Buffer.from('1 0 obj\n<< >>\nendobj\n')]);
    const [found] = findPdfSignatures(longer);
    expect(found?.kind === 'signature' && found.signature.coversWholeFile).toBe(false);
    expect(found?.kind === 'signature' && found.signature.signedBytes.equals(findSigned(pdf))).toBe(true);
  });

  it('lists every /ByteRange, the latest (last in the file) first, and reads no more than a few', () => {
    const earlier = signedFile('3001', { before: '% an earlier /ByteRange [0 1 2 3]\n' });
    const found = findPdfSignatures(earlier.pdf);
    expect(found.map((one) => one.kind)).toEqual(['signature', 'malformed']);
    expect(found[0]?.kind === 'signature' && found[0].signature.cms.toString('hex')).toBe('3001');
    const later = signedFile('3001', { after: ' >>\nendobj\n% /ByteRange [0 1 2 3]\n%%EOF\n' });
    expect(kinds(later.pdf)).toEqual(['malformed', 'signature']);
    const many = signedFile('3001', { before: '% /ByteRange [0 1 2 3]\n'.repeat(50) });
    expect(kinds(many.pdf)).toEqual(['signature', ...Array(MAX_SIGNATURES - 1).fill('malformed')]);
  });

  it('refuses ranges that do not fit the file or leave no hex string between them', () => {
    const cases: [string, (b: number, c: number, d: number) => string][] = [
      ['not from the start', (b, c, d) => `1 ${b - 1} ${c} ${d}`],
      ['past the end', (b, c, d) => `0 ${b} ${c} ${d + 1}`],
      ['overlapping', (b, _c, d) => `0 ${b} ${b + 1} ${d}`],
      ['the hole off the hex string', (b, c, d) => `0 ${b + 1} ${c} ${d}`],
    ];
    for (const [what, range] of cases) {
      expect(kinds(signedFile('3000', { range }).pdf), what).toEqual(['malformed']);
    }
    expect(kinds(signedFile('30g0').pdf), 'not hex').toEqual(['malformed']);
    expect(kinds(signedFile('300').pdf), 'odd hex').toEqual(['malformed']);
    expect(kinds(Buffer.from('%PDF-1.3\n<< /ByteRange [0 /**** /**** /****] >>'))).toEqual(['malformed']);
  });

  it('reads ranges written with other spacing, and a hex string split over lines', () => {
    const { pdf } = signedFile('30 00\n', { range: (b, c, d) => `  0\n${b}  ${c}\t${d} ` });
    const [found] = findPdfSignatures(pdf);
    expect(found?.kind === 'signature' && found.signature.cms.toString('hex')).toBe('3000');
  });
});

/** The signed bytes of a well-formed file, as the function reads them. */
function findSigned(pdf: Buffer): Buffer {
  const [found] = findPdfSignatures(pdf);
  if (found?.kind !== 'signature') throw new Error('no signature');
  return found.signature.signedBytes;
}

describe('receiptCodeIn', () => {
  it('reads the code written as a string or, as pdfkit writes it, in an object of its own', () => {
    expect(receiptCodeIn(Buffer.from('<< /IkrarReceiptCode (ABCD-EFGH-JKLM-NPQR) >>'))).toBe(
      'ABCD-EFGH-JKLM-NPQR',
    );
    const pdfkit =
      '12 0 obj\n(Pakta)\nendobj\n19 0 obj\n(K7QM-3XRT-9WDP-HF2C)\nendobj\n<< /Title 12 0 R\n/IkrarReceiptCode 19 0 R >>';
    expect(receiptCodeIn(Buffer.from(pdfkit))).toBe('K7QM-3XRT-9WDP-HF2C');
  });

  it('finds nothing where there is no code, or only a reference to nothing', () => {
    expect(receiptCodeIn(Buffer.from('<< /Title (Tanda terima ABCD-EFGH-JKLM-NPQR) >>'))).toBeUndefined();
    expect(receiptCodeIn(Buffer.from('<< /IkrarReceiptCode 19 0 R >>'))).toBeUndefined();
    expect(receiptCodeIn(Buffer.from('<< /IkrarReceiptCode (<script>) >>'))).toBeUndefined();
  });
});
