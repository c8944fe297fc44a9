// Where a signed PDF keeps its signatures, read from its bytes: each /ByteRange [a b c d] and the /Contents hole
// between its two ranges, and the receipt code Ikrar writes into a receipt's document information. Small regular
// expressions over the bytes, not a PDF parser: what they find is only trusted once the CMS inside checks out
// (check-sealed-pdf.ts).

/** The document information entry that carries a receipt's code (written by receipt-pdf.ts, inside the seal). */
export const RECEIPT_CODE_KEY = 'IkrarReceiptCode';

export interface PdfSignature {
  byteRange: readonly [number, number, number, number];
  /** The CMS from /Contents, hex-decoded, with the zero padding after it. */
  cms: Buffer;
  /** The bytes the signature covers: the file without the /Contents hole. */
  signedBytes: Buffer;
  /** Whether the signed ranges end where the file ends; false: bytes were added after sealing. */
  coversWholeFile: boolean;
}

export type FoundSignature =
  /** A /ByteRange that cannot be what the file holds (outside it, overlapping, or no hex string in its hole). */
  { kind: 'malformed' } | { kind: 'signature'; signature: PdfSignature };

/**
 * The most signatures read from one file, the latest first: a receipt countersigned by its holder has two, and a
 * file cannot make the check copy and hash its 10 MB thousands of times.
 */
export const MAX_SIGNATURES = 4;

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/g;
const HEX_STRING = /^<([0-9A-Fa-f\s]*)>$/;

/**
 * The file's signatures by their /ByteRange, the latest (last in the file, each later one covering more of it)
 * first, at most MAX_SIGNATURES; none when there is no /ByteRange at all.
 */
export function findPdfSignatures(pdf: Buffer): FoundSignature[] {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(BYTE_RANGE)].slice(-MAX_SIGNATURES).reverse();
  if (ranges.length === 0) return text.includes('/ByteRange') ? [{ kind: 'malformed' }] : [];
  return ranges.map((range) => {
    const [a, b, c, d] = range.slice(1, 5).map(Number) as [number, number, number, number];
    // The first range starts the file, the hole between the two holds at least '<>', the second lies inside the file.
    if (a !== 0 || b < 1 || c < b + 2 || c + d > pdf.length) return { kind: 'malformed' };
    const hole = HEX_STRING.exec(text.slice(b, c));
    const hex = hole?.[1]?.replace(/\s+/g, '') ?? '';
    if (!hole || hex.length % 2 !== 0) return { kind: 'malformed' };
    return {
      kind: 'signature',
      signature: {
        byteRange: [a, b, c, d],
        cms: Buffer.from(hex, 'hex'),
        signedBytes: Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]),
        coversWholeFile: c + d === pdf.length,
      },
    };
  });
}

const CODE = '([A-Za-z0-9-]{1,40})';
/** The entry with its string, or with a reference to an object that holds it (as pdfkit writes it). */
const RECEIPT_CODE = new RegExp(`/${RECEIPT_CODE_KEY}\\s*(?:\\(${CODE}\\)|(\\d{1,10})\\s+(\\d{1,5})\\s+R)`);

/** The receipt code written into these bytes (a receipt's document information), if any. */
export function receiptCodeIn(bytes: Buffer): string | undefined {
  const text = bytes.toString('latin1');
  const entry = RECEIPT_CODE.exec(text);
  if (!entry || entry[1] !== undefined) return entry?.[1];
  const object = new RegExp(`(?:^|\\s)${entry[2]}\\s+${entry[3]}\\s+obj\\s*\\(${CODE}\\)\\s*endobj`).exec(
    text,
  );
  return object?.[1];
}
