import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { pdfBytes } from '../../src/pdf/document.js';
import { checkSealedPdf, type SealCheck } from '../../src/seal/check-sealed-pdf.js';
import { type InstanceSeal, instanceSeal } from '../../src/seal/instance-seal.js';
import { sealCertificateRepository } from '../../src/seal/seal-repository.js';
import { defaultTranslator } from '../../src/web/i18n.js';

/** mulberry32: a small seeded generator, so that every run makes the same mutations. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MUTATIONS = 300;
/** rsaEncryption's OID, then NULL and the signature's OCTET STRING: the signer's signature algorithm. */
const SIGNATURE_ALGORITHM = '06092a864886f70d01010105000482';

const isOursIntact = (check: SealCheck): boolean =>
  check.seal === 'checked' && check.intact && check.ownership !== 'other';

// Flipping a few hex digits of a real seal's /Contents at random once gave uncaught errors (a certificate whose
// validity OpenSSL cannot print, a public key that cannot be decoded): the check must say something of every file.
describe('checking a real seal changed at random', () => {
  let db: Db;
  let seal: InstanceSeal;
  let sealed: Buffer;

  beforeAll(async () => {
    db = openDatabase(':memory:');
    await migrate(db);
    seal = instanceSeal({
      db,
      clock: systemClock,
      sealCertificates: sealCertificateRepository(db),
      instanceSettings: async () => ({ name: 'Pemerintah Kabupaten Uji', place: 'Semarang', email: '' }),
    });
    const doc = new PDFDocument({ info: { Title: 'Tanda terima' } });
    const bytes = pdfBytes(doc);
    doc.text('Tanda terima penandatanganan pakta');
    doc.end();
    sealed = await seal.sealPdf(await bytes, { t: defaultTranslator() });
  });
  afterAll(() => db.close());

  it(`never throws and never calls one of ${MUTATIONS} changed seals this instance's intact seal`, async () => {
    expect(isOursIntact(await checkSealedPdf({ seal }, sealed))).toBe(true);
    const text = sealed.toString('latin1');
    const start = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    const hex = text.slice(start, text.indexOf('>', start));
    // The CMS is a DER SEQUENCE with a two-byte length (30 82 LL LL), then zeros up to the end of the hole.
    expect(hex.slice(0, 4)).toBe('3082');
    const cmsDigits = 2 * (4 + Number.parseInt(hex.slice(4, 8), 16));
    // The signature algorithm may be spelled rsaEncryption or sha256WithRSAEncryption (RFC 3370 takes both), which
    // its last digit turning 1 into b does: the same seal. That one digit is left alone.
    const sameInOtherWords = hex.toLowerCase().lastIndexOf(SIGNATURE_ALGORITHM) + 21;
    expect(sameInOtherWords).toBeGreaterThan(21);

    const random = seeded(20_241_126);
    const verdicts = new Map<string, number>();
    for (let i = 0; i < MUTATIONS; i += 1) {
      const changed = Buffer.from(sealed);
      const digits = 1 + Math.floor(random() * 3);
      for (let j = 0; j < digits; j += 1) {
        // Anywhere in the CMS, or in the first bytes of the padding after it.
        let at = Math.floor(random() * (cmsDigits + 32));
        if (at === sameInOtherWords) at += 1;
        const old = Number.parseInt(String.fromCharCode(changed[start + at] as number), 16);
        changed.write(((old + 1 + Math.floor(random() * 15)) % 16).toString(16), start + at, 'latin1');
      }
      const check = await checkSealedPdf({ seal }, changed);
      expect(isOursIntact(check), `mutation ${i}`).toBe(false);
      const verdict = check.seal === 'checked' ? `${check.ownership} ${check.intact}` : check.seal;
      verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
    }
    // Not all read as unreadable: the mutations reach the certificate, the signed attributes and the signature.
    expect(verdicts.get('unreadable')).toBeGreaterThan(0);
    expect(verdicts.get('active false')).toBeGreaterThan(0);
    expect(verdicts.get('other false')).toBeGreaterThan(0);
  });
});
