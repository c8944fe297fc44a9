import { composeNip } from '../directory/nip.js';

/** mulberry32: a tiny deterministic PRNG, so that every fresh demo database has the same people and NIPs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MALE_NAMES = [
  'Agus',
  'Ahmad',
  'Andi',
  'Arif',
  'Bambang',
  'Budi',
  'Dedi',
  'Eko',
  'Fajar',
  'Hadi',
  'Hendra',
  'Imam',
  'Joko',
  'Kurniawan',
  'Muhammad',
  'Nugroho',
  'Rahmat',
  'Slamet',
  'Sugeng',
  'Suryo',
  'Teguh',
  'Wahyu',
  'Widodo',
  'Yusuf',
  'Adi',
  'Bayu',
  'Dimas',
  'Gilang',
  'Heru',
  'Rudi',
  'Sigit',
  'Tri',
  'Yoga',
  'Anton',
  'Bagus',
  'Purnomo',
];
const FEMALE_NAMES = [
  'Ani',
  'Ayu',
  'Dewi',
  'Dian',
  'Endang',
  'Fitri',
  'Indah',
  'Kartika',
  'Lestari',
  'Lina',
  'Nur',
  'Puji',
  'Ratna',
  'Rina',
  'Siti',
  'Sri',
  'Tri',
  'Wulan',
  'Yuni',
  'Retno',
  'Sekar',
  'Anisa',
  'Diah',
  'Erna',
  'Nining',
  'Rahayu',
  'Kusuma',
  'Novita',
  'Putri',
  'Setyaningsih',
];
const FAMILY_NAMES = [
  'Setiawan',
  'Santoso',
  'Wibowo',
  'Prasetyo',
  'Hidayat',
  'Susanto',
  'Saputra',
  'Kurniawati',
  'Handayani',
  'Wahyuni',
  'Rahayu',
  'Lestari',
  'Susilo',
  'Purwanto',
  'Nugraha',
  'Utomo',
  'Sulistyo',
  'Haryanto',
  'Mulyani',
  'Suharto',
  'Pratama',
  'Hartono',
  'Winarno',
  'Sutrisno',
  'Yulianti',
  'Permana',
  'Wijaya',
  'Rachmawati',
  'Firmansyah',
  'Nurhayati',
  'Kusumawati',
  'Prabowo',
  'Sasongko',
  'Darmawan',
  'Hapsari',
  'Anggraini',
];

export const STAFF_POSITIONS = [
  'Sekretaris',
  'Kepala Bidang Perencanaan',
  'Kepala Subbagian Umum dan Kepegawaian',
  'Kepala Subbagian Keuangan',
  'Analis Kebijakan Ahli Muda',
  'Perencana Ahli Pertama',
  'Pranata Komputer Ahli Pertama',
  'Analis Sumber Daya Manusia Aparatur',
  'Arsiparis Terampil',
  'Pranata Hubungan Masyarakat',
  'Bendahara Pengeluaran',
  'Pengadministrasi Perkantoran',
  'Penata Laporan Keuangan',
  'Pengelola Barang Milik Daerah',
  'Analis Data dan Informasi',
];

export type Gender = 'male' | 'female';

export interface Person {
  fullName: string;
  gender: Gender;
  nip: string;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Makes people with plausible Indonesian names and valid, unique PNS NIPs born in the given year range. */
export function personFactory(random: () => number) {
  const usedNips = new Set<string>();
  return (options: { bornFrom: number; bornTo: number; gender?: Gender; fullName?: string }): Person => {
    const gender = options.gender ?? (random() < 0.5 ? 'male' : 'female');
    const fullName =
      options.fullName ??
      `${pick(random, gender === 'male' ? MALE_NAMES : FEMALE_NAMES)} ${pick(random, FAMILY_NAMES)}`;
    const birthYear = options.bornFrom + Math.floor(random() * (options.bornTo - options.bornFrom + 1));
    const birthMonth = 1 + Math.floor(random() * 12);
    const birthDay = 1 + Math.floor(random() * 28);
    // First appointment between age 22 and 30, never after 2024.
    const tmtYear = Math.min(birthYear + 22 + Math.floor(random() * 9), 2024);
    const tmtMonth = 1 + Math.floor(random() * 12);
    let sequence = 1 + Math.floor(random() * 20);
    let nip: string;
    do {
      nip = composeNip({
        birthDate: `${birthYear}-${pad(birthMonth)}-${pad(birthDay)}`,
        tmt: `${tmtYear}-${pad(tmtMonth)}`,
        gender,
        sequence: pad(sequence, 3),
      });
      sequence += 1;
    } while (usedNips.has(nip));
    usedNips.add(nip);
    return { fullName, gender, nip };
  };
}
