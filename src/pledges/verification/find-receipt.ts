import QRCode from 'qrcode';
import type { Config } from '../../core/config.js';
import { chainHash } from '../../ledger/chain.js';
import type { LedgerEntry, LedgerRepository } from '../../ledger/repository.js';
import { bodySha256 } from '../body-hash.js';
import type { PactRepository } from '../pact-repository.js';
import { formatReceiptCode, parseReceiptCode } from '../receipt-code.js';
import type { SignatureRepository } from '../signature-repository.js';
import type { Pact, Signature } from '../types.js';
import { recordMismatch } from './record-check.js';

/**
 * ok: the signature row, its pact's text, its image and its void state all match what the ledger recorded, and
 * those entries sit in the chain. unrecorded: no ledger entry. mismatch: something was changed after the fact.
 */
export type Integrity = 'ok' | 'unrecorded' | 'mismatch';

export interface ReceiptView {
  signature: Signature;
  pact: Pact;
  code: string;
  verifyUrl: string;
  ledgerEntry: LedgerEntry | undefined;
  integrity: Integrity;
}

type ReceiptServices = { signatures: SignatureRepository; pacts: PactRepository; ledger: LedgerRepository };

/** Finds what a receipt or verification page shows for a code as typed or scanned; undefined when there is none. */
export async function findReceipt(
  services: ReceiptServices,
  config: Pick<Config, 'baseUrl'>,
  input: string,
): Promise<ReceiptView | undefined> {
  const code = parseReceiptCode(input);
  const signature = code ? await services.signatures.findByReceiptCode(code) : undefined;
  const pact = signature && (await services.pacts.findById(signature.pactId));
  if (!signature || !pact) return undefined;
  const ledgerEntry = signature.ledgerSeq ? await services.ledger.findBySeq(signature.ledgerSeq) : undefined;
  return {
    signature,
    pact,
    code: formatReceiptCode(signature.receiptCode),
    verifyUrl: `${config.baseUrl}/verifikasi/${formatReceiptCode(signature.receiptCode)}`,
    ledgerEntry,
    integrity: ledgerEntry ? await checkIntegrity(services, signature, pact, ledgerEntry) : 'unrecorded',
  };
}

async function checkIntegrity(
  services: ReceiptServices,
  signature: Signature,
  pact: Pact,
  entry: LedgerEntry,
): Promise<Integrity> {
  const voidEntry = await services.ledger.findVoidFor(signature.id);
  const mismatch = recordMismatch({
    signature,
    png: await services.signatures.image(signature.id),
    // The text shown on the receipt must be the text that was signed.
    pact: {
      version: pact.version,
      bodySha256: bodySha256(pact.body) === pact.bodySha256 ? pact.bodySha256 : null,
    },
    sign: entry,
    void: voidEntry ?? null,
  });
  if (mismatch) return 'mismatch';
  return (await inChain(services, entry)) && (!voidEntry || (await inChain(services, voidEntry)))
    ? 'ok'
    : 'mismatch';
}

/** The entry's hash recomputes from its payload, its predecessor's hash is its prev_hash, and its successor links to it. */
async function inChain(services: { ledger: LedgerRepository }, entry: LedgerEntry): Promise<boolean> {
  if (chainHash(entry.prevHash, entry.payload) !== entry.hash) return false;
  if (entry.seq > 1 && (await services.ledger.findBySeq(entry.seq - 1))?.hash !== entry.prevHash)
    return false;
  const next = await services.ledger.findBySeq(entry.seq + 1);
  return next === undefined || next.prevHash === entry.hash;
}

/** The QR code on receipts: a PNG of the public verification URL. */
export const qrPng = (url: string): Promise<Buffer> =>
  QRCode.toBuffer(url, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
