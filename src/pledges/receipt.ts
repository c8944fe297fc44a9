import QRCode from 'qrcode';
import type { Config } from '../config.js';
import { chainHash } from '../ledger/chain.js';
import type { LedgerEntry } from '../ledger/repository.js';
import type { Services } from '../services.js';
import { formatReceiptCode, parseReceiptCode } from './receipt-code.js';
import type { Pact, Signature } from './types.js';

export interface ReceiptView {
  signature: Signature;
  pact: Pact;
  code: string;
  verifyUrl: string;
  ledgerEntry: LedgerEntry | undefined;
  /** The entry's own hash recomputes from its payload and its predecessor's hash, and the next entry links to it. */
  ledgerMatches: boolean;
}

/** Finds what a receipt or verification page shows for a code as typed or scanned; undefined when there is none. */
export function findReceipt(
  services: Pick<Services, 'signatures' | 'pacts' | 'ledger'>,
  config: Pick<Config, 'baseUrl'>,
  input: string,
): ReceiptView | undefined {
  const code = parseReceiptCode(input);
  const signature = code ? services.signatures.findByReceiptCode(code) : undefined;
  const pact = signature && services.pacts.findById(signature.pactId);
  if (!signature || !pact) return undefined;
  const ledgerEntry = signature.ledgerSeq ? services.ledger.findBySeq(signature.ledgerSeq) : undefined;
  return {
    signature,
    pact,
    code: formatReceiptCode(signature.receiptCode),
    verifyUrl: `${config.baseUrl}/verifikasi/${formatReceiptCode(signature.receiptCode)}`,
    ledgerEntry,
    ledgerMatches: ledgerEntry !== undefined && entryMatchesChain(services, ledgerEntry, signature),
  };
}

function entryMatchesChain(
  services: Pick<Services, 'ledger'>,
  entry: LedgerEntry,
  signature: Signature,
): boolean {
  if (
    entry.signatureId !== signature.id ||
    !entry.payload.includes(`"receiptCode":"${signature.receiptCode}"`)
  ) {
    return false;
  }
  if (chainHash(entry.prevHash, entry.payload) !== entry.hash) return false;
  const previous = entry.seq > 1 ? services.ledger.findBySeq(entry.seq - 1) : undefined;
  if (entry.seq > 1 && previous?.hash !== entry.prevHash) return false;
  const next = services.ledger.findBySeq(entry.seq + 1);
  return next === undefined || next.prevHash === entry.hash;
}

/** The QR code on receipts: a PNG of the public verification URL. */
export const qrPng = (url: string): Promise<Buffer> =>
  QRCode.toBuffer(url, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
