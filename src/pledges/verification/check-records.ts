import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { LedgerCheck, LedgerRepository } from '../../ledger/repository.js';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import type { ScanRepository } from '../../scans/scan-repository.js';
import { defaultTranslator } from '../../web/i18n.js';
import { bodySha256 } from '../body-hash.js';
import type { PactRepository } from '../pact-repository.js';
import type { SignatureRepository } from '../signature-repository.js';
import { recordMismatch } from './record-check.js';

/**
 * The full check behind `npm run ledger:verify` and "Periksa sekarang": the hash chain, then every opened pact's
 * text against its frozen hash, then every signature against the ledger entries that recorded it. Reports the first
 * problem. `record` stores the result for /admin/ledger (the command-line check only reads).
 */
export async function checkRecords(
  services: {
    ledger: LedgerRepository;
    signatures: SignatureRepository;
    pacts: PactRepository;
    scans: ScanRepository;
  },
  clock: Clock,
  options: { record: boolean },
): Promise<LedgerCheck> {
  const chain = await verifyLedger(services.ledger, clock);
  const problem = chain.ok ? await firstRecordProblem(services) : null;
  const check: LedgerCheck = problem
    ? {
        ...chain,
        ok: false,
        headSeq: null,
        headHash: null,
        firstBadSeq: problem.seq,
        problem: problem.problem,
      }
    : chain;
  if (options.record) await services.ledger.recordCheck(check);
  return check;
}

async function firstRecordProblem(services: {
  signatures: SignatureRepository;
  pacts: PactRepository;
  scans: ScanRepository;
}): Promise<{ seq: number | null; problem: string } | null> {
  // Stored with the check and shown on /admin/ledger and by `ledger:verify`: in Indonesian.
  const t = defaultTranslator();
  const frozen = new Map<number, string | null>();
  for (const pact of await services.pacts.list()) {
    if (pact.status !== 'draft' && bodySha256(pact.body) !== pact.bodySha256) {
      return { seq: null, problem: t('ledger.problem.pact_text_opened', { id: pact.id }) };
    }
    frozen.set(pact.id, pact.bodySha256);
  }
  // The signatures are read a page at a time after the pacts, not in one snapshot: a pact opened since the list was
  // read (a draft then, or not made yet) may have signatures by now, so it is read again when one comes up.
  const frozenHash = async (pactId: number): Promise<string | null> => {
    const known = frozen.get(pactId);
    if (known) return known;
    const pact = await services.pacts.findById(pactId);
    const opened =
      pact && pact.status !== 'draft' && bodySha256(pact.body) === pact.bodySha256 ? pact.bodySha256 : null;
    if (opened) frozen.set(pactId, opened);
    return opened;
  };
  const scansChecked = new Set<number>();
  for await (const row of services.signatures.withLedger()) {
    const mismatch = recordMismatch({
      signature: row.signature,
      png: row.png,
      pact: { version: row.pactVersion, bodySha256: await frozenHash(row.signature.pactId) },
      sign: row.sign,
      void: row.void,
    });
    if (mismatch)
      return {
        seq: row.signature.ledgerSeq,
        problem: t('ledger.problem.signature', { id: row.signature.id, problem: mismatch }),
      };
    // The entry commits to the scan's recorded hash; the scan's bytes must still have it (each scan read once).
    const paper = row.signature.paper;
    if (paper && !scansChecked.has(paper.scanId)) {
      scansChecked.add(paper.scanId);
      const scan = await services.scans.withBytes(paper.scanId);
      if (!scan || createHash('sha256').update(scan.bytes).digest('hex') !== paper.scanSha256) {
        return {
          seq: row.signature.ledgerSeq,
          problem: t('ledger.problem.signature', { id: row.signature.id, problem: t('ledger.problem.scan') }),
        };
      }
    }
  }
  return null;
}
