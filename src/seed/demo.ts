import type { AgreementRepository } from '../agreements/repository.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import { loadReferenceUnits, readReferenceUnits } from '../directory/units/reference-units.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { LedgerRepository } from '../ledger/repository.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import type { SignatureRepository } from '../pledges/signature-repository.js';
import type { ScanRepository } from '../scans/scan-repository.js';
import { DEFAULT_INSTANCE, writeInstanceSettings } from '../settings/instance.js';
import type { SettingsRepository } from '../settings/repository.js';
import { seedDemoAgreements } from './demo-agreements.js';
import { seedDemoPacts } from './demo-pacts.js';
import { type DemoReminderServices, seedDemoReminders } from './demo-reminders.js';
import { type Gender, personFactory, STAFF_POSITIONS, seededRandom } from './people.js';

export const DEMO_PASSWORD = 'ikrar-demo';
/** The address of a development start (config.ts, without BASE_URL): the demo's mails link there unless told. */
const DEVELOPMENT_BASE_URL = 'http://localhost:3000';

/** The demo accounts promised by DESIGN.md; outside checks log in with them. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@ikrar.test', fullName: 'Administrator Ikrar', role: 'admin', note: 'admin provinsi' },
  { email: 'operator@ikrar.test', fullName: 'Sri Wahyuni', role: 'operator', note: 'operator DISKOMINFO' },
  { email: 'kepala@ikrar.test', fullName: 'Bambang Setiawan', role: 'signer', note: 'Kepala DISKOMINFO' },
  { email: 'asn@ikrar.test', fullName: 'Dewi Lestari', role: 'signer', note: 'staf DISKOMINFO' },
] as const;

/** What the demo agency adds to the privacy notice: when and how it answers (an example of the settings' Markdown). */
const DEMO_PRIVACY_EXTRA = `Permintaan perbaikan, penghapusan, atau keberatan dilayani pada **hari kerja, Senin–Jumat
pukul 08.00–16.00 WIB**. Kirim email ke pejabat pelindungan data pribadi di atas dengan menyebut NIP dan permintaan
Anda, atau datang langsung dengan membawa kartu identitas pegawai.`;

const DEMO_UNIT = 'DISKOMINFO';
/**
 * Staff of the demo unit besides its head and the two demo accounts: a fixed, larger number than other units have,
 * so that its operator has at least 30 people who have not signed the all-ASN pact to remind or tick on a paper
 * sheet (demo-pacts.ts has the unit sign less than most).
 */
export const DEMO_UNIT_STAFF = 60;
/** Positions the demo unit's staff beyond the first STAFF_POSITIONS.length hold: functional ones, many to a unit. */
const MORE_STAFF_POSITIONS = [
  'Pranata Komputer Ahli Pertama',
  'Pranata Hubungan Masyarakat Ahli Pertama',
  'Analis Data dan Informasi',
  'Sandiman Ahli Pertama',
  'Statistisi Ahli Pertama',
  'Pengelola Layanan Informasi',
  'Pengadministrasi Perkantoran',
];

/** The title a head of each kind of unit holds. */
function headPosition(kind: string, unitName: string): string {
  switch (kind) {
    case 'sekretariat':
      return unitName.startsWith('Sekretariat DPRD') ? 'Sekretaris DPRD' : 'Sekretaris Daerah';
    case 'inspektorat':
      return 'Inspektur';
    case 'kabupaten':
    case 'kota':
      // The kabupaten/kota government is represented by its Sekda, the most senior ASN (the regent is elected).
      return `Sekretaris Daerah ${unitName}`;
    case 'rsud':
      return `Direktur ${unitName}`;
    default:
      return `Kepala ${unitName}`;
  }
}

const emailOf = (fullName: string, n: number): string =>
  `${fullName.toLowerCase().replace(/[^a-z]+/g, '.')}.${n}@demo.ikrar.test`;

export interface DemoSummary {
  units: number;
  users: number;
  pacts: number;
  signatures: number;
}

/**
 * Fills an empty database with the Jawa Tengah demo: the OPD tree, the four demo accounts, for every OPD a head and
 * 5–20 staff with valid NIPs (DISKOMINFO, the demo unit: DEMO_UNIT_STAFF), the 35 kabupaten/kota with their Sekda as
 * head, this year's two open pacts partly signed and the 2023 heads pact signed on paper (see demo-pacts.ts).
 * Deterministic: every fresh demo has the same people. One transaction.
 * `passwordHash` is the hash of DEMO_PASSWORD, computed once by the caller and shared by every demo account.
 */
export async function seedDemo(
  services: {
    agreements: AgreementRepository;
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    ledger: LedgerRepository;
    pacts: PactRepository;
    settings: SettingsRepository;
    scans: ScanRepository;
    signatures: SignatureRepository;
    timeZone: TimeZone;
    units: UnitRepository;
    users: UserRepository;
  } & DemoReminderServices,
  passwordHash: string,
  options: {
    /** Where the app is reached, for the links in the demo's reminder mails: config.baseUrl. */
    baseUrl?: string;
  } = {},
): Promise<DemoSummary> {
  const { units, users, clock } = services;
  const random = seededRandom(20230926);
  const person = personFactory(random);
  let userCount = 0;
  let emailCount = 0;

  const addUser = async (options: {
    fullName?: string;
    gender?: Gender;
    bornFrom: number;
    bornTo: number;
    email?: string | null;
    position: string;
    /** Pangkat/golongan; none for the elected heads of kabupaten/kota. */
    pangkat?: string | null;
    unitId: number;
    role?: 'operator' | 'signer';
  }): Promise<number> => {
    const p = person(options);
    emailCount += 1;
    // Most staff have an office email; some only log in with their NIP, as in real rosters.
    const email =
      options.email !== undefined ? options.email : random() < 0.75 ? emailOf(p.fullName, emailCount) : null;
    userCount += 1;
    return users.insert(
      {
        nip: p.nip,
        employeeType: 'PNS',
        email,
        fullName: p.fullName,
        position: options.position,
        pangkat: options.pangkat ?? null,
        unitId: options.unitId,
        role: options.role ?? 'signer',
        passwordHash,
        mustChangePassword: false,
      },
      clock.now(),
    );
  };

  return inTransaction(services.db, async (): Promise<DemoSummary> => {
    await writeInstanceSettings(
      services.settings,
      {
        name: 'Pemerintah Provinsi Jawa Tengah',
        shortName: 'Ikrar Jateng',
        address: 'Jalan Pahlawan No. 9, Semarang 50243, Jawa Tengah',
        // No mailbox: the only real one at hand (JDIH's) is not Ikrar's; an admin fills it in at /admin/pengaturan.
        email: '',
        phone: '(024) 8311282',
        place: 'Semarang',
        activationDays: DEFAULT_INSTANCE.activationDays,
        signatureRetentionYears: DEFAULT_INSTANCE.signatureRetentionYears,
        // Signing sheets leave the official's name and NIP to be written by hand.
        officialTitle: 'Sekretaris Daerah Provinsi Jawa Tengah',
        officialName: '',
        officialNip: '',
        // The privacy notice (/privasi): the agency that runs the pledge for the province, its officer for personal
        // data with a mailbox of the demo's own domain, and its office (blank: the instance's address).
        privacyController:
          'Pemerintah Provinsi Jawa Tengah c.q. Badan Kepegawaian Daerah Provinsi Jawa Tengah',
        privacyOfficer: 'Pejabat Pelindungan Data Pribadi, Badan Kepegawaian Daerah Provinsi Jawa Tengah',
        privacyOfficerEmail: 'privasi@ikrar.test',
        privacyOfficerAddress: '',
        privacyExtra: DEMO_PRIVACY_EXTRA,
      },
      clock.now(),
    );
    const reference = readReferenceUnits('jateng-opd');
    await loadReferenceUnits(units, reference, clock);

    const [admin] = DEMO_ACCOUNTS;
    await users.insert(
      {
        nip: null,
        employeeType: 'PNS',
        email: admin.email,
        fullName: admin.fullName,
        position: 'Administrator Sistem',
        pangkat: null,
        unitId: null,
        role: 'admin',
        passwordHash,
        mustChangePassword: false,
      },
      clock.now(),
    );
    userCount += 1;

    for (const ref of reference) {
      const unit = await units.findByCode(ref.code);
      if (!unit) throw new Error(`Unit ${ref.code} hilang setelah dimuat`);
      const isDemoUnit = unit.code === DEMO_UNIT;
      const headId = await addUser({
        ...(isDemoUnit
          ? { fullName: 'Bambang Setiawan', gender: 'male' as const, email: 'kepala@ikrar.test' }
          : {}),
        bornFrom: 1966,
        bornTo: 1978,
        position: headPosition(unit.kind, unit.name),
        pangkat: 'Pembina Utama Muda, IV/c',
        unitId: unit.id,
      });
      await units.setHead(unit.id, headId, clock.now());
      if (isDemoUnit) {
        await addUser({
          fullName: 'Sri Wahyuni',
          gender: 'female',
          email: 'operator@ikrar.test',
          bornFrom: 1980,
          bornTo: 1988,
          position: 'Pranata Komputer Ahli Muda',
          pangkat: 'Penata Tk. I, III/d',
          unitId: unit.id,
          role: 'operator',
        });
        await addUser({
          fullName: 'Dewi Lestari',
          gender: 'female',
          email: 'asn@ikrar.test',
          bornFrom: 1990,
          bornTo: 1996,
          position: 'Pranata Hubungan Masyarakat',
          pangkat: 'Penata Muda Tk. I, III/b',
          unitId: unit.id,
        });
      }
      const staff = isDemoUnit ? DEMO_UNIT_STAFF : 5 + Math.floor(random() * 16);
      for (let i = 0; i < staff; i += 1) {
        await addUser({
          bornFrom: 1968,
          bornTo: 1998,
          position: (STAFF_POSITIONS[i] ??
            MORE_STAFF_POSITIONS[(i - STAFF_POSITIONS.length) % MORE_STAFF_POSITIONS.length]) as string,
          unitId: unit.id,
        });
      }
    }

    // Kabupaten/kota governments as units with only their head, as the province tracks them at a ceremony.
    const kabkota = readReferenceUnits('jateng-kabkota');
    await loadReferenceUnits(units, kabkota, clock);
    for (const ref of kabkota) {
      const unit = (await units.findByCode(ref.code)) as NonNullable<
        Awaited<ReturnType<typeof units.findByCode>>
      >;
      const headId = await addUser({
        bornFrom: 1966,
        bornTo: 1976,
        position: headPosition(unit.kind, unit.name),
        unitId: unit.id,
      });
      await units.setHead(unit.id, headId, clock.now());
    }

    const pacts = await seedDemoPacts(services, random);
    // The NPHD Pilkada 2024 tracker as of 21 November 2023 (Pemalang and Pati outstanding).
    await seedDemoAgreements(services);
    // DISKOMINFO's operator reminded her unit two days ago: the demo ASN and head have a reminder and its mail.
    await seedDemoReminders(services, options.baseUrl ?? DEVELOPMENT_BASE_URL);
    return { units: reference.length + kabkota.length, users: userCount, ...pacts };
  });
}
