import { describe, expect, it } from 'vitest';
import { isValidSlug, SLUG_MAX_LENGTH, slugFromTitle, uniqueSlug } from '../../src/news/slug.js';

const LONG_TITLE =
  'Kunjungan Kerja Spesifik Komisi II DPR RI Dengan Tema “Pembahasan Tahapan Pelaksanaan Pemilu Serentak 2024”';

describe('slugFromTitle', () => {
  it.each([
    [
      'Ikrar & Penandatanganan Pakta Integritas Netralitas ASN',
      'ikrar-dan-penandatanganan-pakta-integritas-netralitas-asn',
    ],
    ['Jadwal Pilkada 27/11/2024', 'jadwal-pilkada-27-11-2024'],
    ['Rakor Kab/Kota se-Jawa Tengah', 'rakor-kab-kota-se-jawa-tengah'],
    ['Tema ‘Pemilu Damai’ — Sosialisasi – Tahap I', 'tema-pemilu-damai-sosialisasi-tahap-i'],
    ['Kantor Baru di Jalan Pahlawan No. 9', 'kantor-baru-di-jalan-pahlawan-no-9'],
    ['Pelantikan Dr. Budi Santoso, S.H., M.Kn.', 'pelantikan-dr-budi-santoso-sh-mkn'],
    ['Sambutan René Frédéric Siregar', 'sambutan-rene-frederic-siregar'],
    ['Pemilu 2024 Sukses 🎉🗳️', 'pemilu-2024-sukses'],
    ['Kami ♥ Pemilu Damai 🦄', 'kami-pemilu-damai'],
    ['Jum’at Bersih bersama DPRD’nya', 'jumat-bersih-bersama-dprdnya'],
    ['Surat Edaran KemenPAN-RB', 'surat-edaran-kemenpan-rb'],
  ])('%s → %s', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it('cuts a long title at the last whole word that fits', () => {
    const slug = slugFromTitle(LONG_TITLE);
    expect(slug).toBe('kunjungan-kerja-spesifik-komisi-ii-dpr-ri-dengan-tema-pembahasan-tahapan');
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(isValidSlug(slug)).toBe(true);
  });

  it('cuts a single word longer than the limit mid-word', () => {
    expect(slugFromTitle('a'.repeat(100))).toBe('a'.repeat(SLUG_MAX_LENGTH));
  });

  it.each([['“…” — ?!'], ['   '], [''], ['🎉🗳️'], ['東京']])('returns an empty slug for %j', (title) => {
    expect(slugFromTitle(title)).toBe('');
  });
});

describe('isValidSlug', () => {
  it.each([['berita'], ['pemilu-2024'], ['2024'], ['a'.repeat(SLUG_MAX_LENGTH)]])('accepts %s', (text) => {
    expect(isValidSlug(text)).toBe(true);
  });

  it.each([
    [''],
    ['Berita'],
    ['pemilu--2024'],
    ['-pemilu'],
    ['pemilu-'],
    ['pemilu 2024'],
    ['pemilu_2024'],
    ['berita/lama'],
    ['pemilu-serentak-é'],
    ['a'.repeat(SLUG_MAX_LENGTH + 1)],
    ['pemilu\n'],
  ])('refuses %j', (text) => {
    expect(isValidSlug(text)).toBe(false);
  });
});

describe('uniqueSlug', () => {
  const takenAmong =
    (...taken: string[]) =>
    (slug: string) =>
      taken.includes(slug);

  it('keeps a base that is free', async () => {
    expect(await uniqueSlug('rapat-koordinasi', takenAmong('rapat'))).toBe('rapat-koordinasi');
  });

  it('numbers a base that is taken from 2', async () => {
    expect(await uniqueSlug('rapat', takenAmong('rapat'))).toBe('rapat-2');
  });

  it('counts on past numbers that are taken', async () => {
    expect(await uniqueSlug('rapat', takenAmong('rapat', 'rapat-2'))).toBe('rapat-3');
  });

  it('shortens a full-length base at a hyphen to make room for the number', async () => {
    const base = 'rapat-koordinasi-pembahasan-tahapan-pelaksanaan-pemilu-serentak-2024-jawa-tengah';
    expect(base.length).toBe(SLUG_MAX_LENGTH);

    const slug = await uniqueSlug(base, takenAmong(base));
    expect(slug).toBe('rapat-koordinasi-pembahasan-tahapan-pelaksanaan-pemilu-serentak-2024-jawa-2');
    expect(isValidSlug(slug)).toBe(true);
  });

  it('shortens a full-length base without hyphens mid-word', async () => {
    const base = 'a'.repeat(SLUG_MAX_LENGTH);
    const slug = await uniqueSlug(base, takenAmong(base));
    expect(slug).toBe(`${'a'.repeat(SLUG_MAX_LENGTH - 2)}-2`);
    expect(isValidSlug(slug)).toBe(true);
  });
});
