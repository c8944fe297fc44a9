import { readFileSync } from 'node:fs';
import type { Actor } from '../audit/record-event.js';
import { projectPath } from '../core/paths.js';
import type { TimeZone } from '../core/time-zone.js';
import type { User } from '../directory/types.js';
import { readReferenceUnits } from '../directory/units/reference-units.js';
import { type PaperServices, recordPaperSignings } from '../paper/record-paper-signings.js';
import { signingSheetDocument } from '../paper/sheet.js';
import { signingSheetPdf } from '../paper/signing-sheet-pdf.js';
import { createPact } from '../pledges/pacts/create-pact.js';
import type { PactInput } from '../pledges/pacts/input.js';
import { openPact } from '../pledges/pacts/open-pact.js';
import { type SignServices, signPact } from '../pledges/signing/sign-pact.js';
import { checkScan } from '../scans/scan-file.js';
import { readInstanceSettings } from '../settings/instance.js';
import type { SettingsRepository } from '../settings/repository.js';
import { defaultTranslator } from '../web/i18n.js';
import { demoSignatureDataUrl } from './demo-signature.js';
import { seededRandom } from './people.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The ikrar bersama of 26 September 2023 (the real post in shared/fixtures/): every Kepala OPD of the province signed
 * the heads pact for Pemilu and Pemilihan 2024 on paper at Gedung Gradhika Bhakti Praja. Kept as an archived pact.
 */
export const DEMO_CEREMONY_2023 = {
  title: 'Pakta Integritas Netralitas ASN Kepala Perangkat Daerah pada Pemilu dan Pemilihan Serentak 2024',
  day: '2023-09-26',
  opensAt: '2023-09-26T08:00',
  deadline: '2023-09-29T16:00',
  place: 'Gedung Gradhika Bhakti Praja, Semarang',
  // Named by office, as the demo's posts do; the sheet's "Mengetahui" leaves the name and NIP to be written by hand.
  witness: 'Sekretaris Daerah Provinsi Jawa Tengah',
  scanFileName: 'lembar-ikrar-bersama-26-september-2023.pdf',
} as const;

/**
 * The year of the pacts open now: an annual pact, for the coming year once its last quarter has begun (in December
 * 2026, Tahun 2027), so that the demo reads as current whenever it is seeded.
 */
export function demoPactYear(now: Date, zone: TimeZone): number {
  const { year, month } = zone.wallClock(now);
  return month >= 10 ? year + 1 : year;
}

/** The titles of the two pacts open now, for heads and for all ASN. */
export function demoPactTitles(year: number): { heads: string; all: string } {
  return {
    heads: `Pakta Integritas Netralitas ASN bagi Kepala Perangkat Daerah dan Sekretaris Daerah Kabupaten/Kota se-Jawa Tengah Tahun ${year}`,
    all: `Pakta Integritas Netralitas Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah Tahun ${year}`,
  };
}

/** Heads who have not signed this year's heads pact yet: a few OPD (DISKOMINFO's is kepala@ikrar.test). */
const HEADS_STILL_OUTSTANDING = ['DISKOMINFO', 'DISPORAPAR', 'BAPENDA', 'RSUD-REHATTA', 'DKP'];
/** Demo accounts that must find the open pacts unsigned (DESIGN.md). */
const NEVER_SIGNED_EMAILS = ['kepala@ikrar.test', 'asn@ikrar.test'];
/**
 * The operator's own unit signs less than most, so that she has people left to remind and to tick on a paper sheet
 * (at least 30 outstanding: see DEMO_UNIT_STAFF in demo.ts). Other units sign between 20% and 70%: a little under
 * half in all, leaving the multi-node test (test/processes/) its 241 people with an email who have not signed.
 */
const DEMO_UNIT = { code: 'DISKOMINFO', share: 0.4 };
const SHARE = { least: 0.2, spread: 0.5 };

/** When the open pacts opened and close, in days from now (local 08:00 and 23:59). */
const HEADS_PERIOD = { opened: 10, closes: 14 };
const ALL_PERIOD = { opened: 7, closes: 24 };
/** The hours (local) people mostly sign in. */
const AWAKE = Array.from({ length: 16 }, (_, i) => 6 + i);
/** Days before now that the admin entered the 2023 archive, before this year's pacts opened. */
const ARCHIVED_DAYS_AGO = 14;

export type DemoPactServices = SignServices &
  PaperServices & { timeZone: TimeZone; settings: SettingsRepository };

const readText = (name: string, year?: number): string => {
  const text = readFileSync(projectPath('db', 'seeds', `${name}.md`), 'utf8');
  return year === undefined ? text : text.replaceAll('{tahun}', String(year));
};

/**
 * The demo's pacts, through the real operations (so the ledger, receipts and audit log are real too):
 *
 * 1. this year's pact for heads, open, most of them signed online with a drawn signature: every unit's, the 52 OPD and
 *    the 35 kabupaten/kota (their Sekda);
 * 2. this year's pact for all ASN, open, a little under half signed online, unit by unit;
 * 3. the 2023 heads pact as an archive, for the 52 OPD only (its scope is their roots): all 52 heads signed it on paper
 *    at the 26 September 2023 ceremony, entered by the admin with one scanned sheet behind them all.
 *
 * The open pacts keep ids 1 and 2 and cover every unit: the bench (test/bench/kit/bench-data.ts) adds units and people
 * at national scale and counts them in these pacts. Ledger entries follow the time of signing: the paper signings of
 * 2023 first, then the online ones in order. Runs inside the demo seed's transaction.
 */
export async function seedDemoPacts(
  services: DemoPactServices,
  random: () => number,
): Promise<{ pacts: number; signatures: number }> {
  const now = services.clock.now();
  const zone = services.timeZone;
  const admin = await services.users.findByEmail('admin@ikrar.test');
  if (!admin) throw new Error('the demo admin must be seeded before the demo pacts');
  const actor: Actor = { userId: admin.id, ip: null, userAgent: null };
  const at = (when: Date) => ({ ...services, clock: { now: () => when } });
  const localTime = (daysFromNow: number, time: string): Date =>
    zone.instantOf(`${zone.dayOf(new Date(now.getTime() + daysFromNow * DAY_MS))}T${time}`) as Date;

  // The OPD are the units of jateng-opd.json; a pact for their roots covers the Biro under SETDA too.
  const opd = readReferenceUnits('jateng-opd');
  const opdUnits = [];
  for (const ref of opd) {
    const unit = await services.units.findByCode(ref.code);
    if (!unit) throw new Error(`demo unit ${ref.code} is missing`);
    opdUnits.push({ ...unit, root: ref.parent === undefined });
  }

  const year = demoPactYear(now, zone);
  const titles = demoPactTitles(year);
  const create = async (input: PactInput, when: Date): Promise<number> => {
    const created = await createPact(at(when), { input, actor });
    if (!created.ok) throw new Error(`demo pact "${input.title}": ${JSON.stringify(created.errors)}`);
    return created.pactId;
  };
  const open = async (pactId: number, when: Date) => {
    const opened = await openPact(at(when), { pactId, actor });
    if (!opened.ok) throw new Error(`demo pact ${pactId} could not be opened: ${opened.reason}`);
  };

  const headsOpens = localTime(-HEADS_PERIOD.opened, '08:00');
  const allOpens = localTime(-ALL_PERIOD.opened, '08:00');
  const headsPactId = await create(
    {
      title: titles.heads,
      body: readText('pakta-kepala-opd', year),
      place: 'Semarang',
      audience: 'heads',
      opensAt: headsOpens,
      deadline: localTime(HEADS_PERIOD.closes, '23:59'),
      unitIds: [],
    },
    new Date(headsOpens.getTime() - DAY_MS),
  );
  const allPactId = await create(
    {
      title: titles.all,
      body: readText('pakta-asn', year),
      place: 'Semarang',
      audience: 'all',
      opensAt: allOpens,
      deadline: localTime(ALL_PERIOD.closes, '23:59'),
      unitIds: [],
    },
    new Date(allOpens.getTime() - DAY_MS),
  );
  await open(headsPactId, headsOpens);
  await open(allPactId, allOpens);

  const archived = localTime(-ARCHIVED_DAYS_AGO, '10:00');
  const signedOnPaper = await seedCeremony2023(at(archived), {
    admin,
    actor,
    opdUnits,
    create: (input) => create(input, archived),
    open: (pactId) => open(pactId, archived),
  });

  // This year's pacts, signed online: most heads, and a share of each unit's people.
  const outstandingHeads = new Set<number>();
  for (const code of HEADS_STILL_OUTSTANDING) {
    const headUserId = (await services.units.findByCode(code))?.headUserId;
    if (headUserId != null) outstandingHeads.add(headUserId);
  }
  const neverSigned = new Set<number>();
  for (const email of NEVER_SIGNED_EMAILS) {
    const id = (await services.users.findByEmail(email))?.id;
    if (id !== undefined) neverSigned.add(id);
  }
  const plan: { pactId: number; user: User; at: Date }[] = [];
  // A time since the pact opened, drawn again (a few times at most) while it falls in the night. From a stream of its
  // own: how often it is drawn again depends on the hour now, and who signs must not.
  const timeRandom = seededRandom(Math.floor(random() * 2 ** 32));
  const sometimeSince = (opens: Date) => {
    const draw = () => new Date(opens.getTime() + timeRandom() * (now.getTime() - opens.getTime()));
    let when = draw();
    for (let tries = 0; tries < 3 && !AWAKE.includes(zone.wallClock(when).hour); tries += 1) when = draw();
    return when;
  };
  const members = new Map<number, User[]>();
  const units = await services.units.listActive();
  const everyone = await services.users.inUnits(units.map((unit) => unit.id));
  for (const user of everyone.sort((a, b) => a.id - b.id)) {
    if (user.status !== 'active' || user.unitId === null) continue;
    members.set(user.unitId, [...(members.get(user.unitId) ?? []), user]);
  }
  for (const unit of units) {
    const people = members.get(unit.id) ?? [];
    const head = people.find((person) => person.id === unit.headUserId);
    if (head && !outstandingHeads.has(head.id) && !neverSigned.has(head.id)) {
      plan.push({ pactId: headsPactId, user: head, at: sometimeSince(headsOpens) });
    }
    const share = unit.code === DEMO_UNIT.code ? DEMO_UNIT.share : SHARE.least + random() * SHARE.spread;
    const willing = shuffled(
      people.filter((person) => !neverSigned.has(person.id)),
      random,
    );
    for (const person of willing.slice(0, Math.round(share * willing.length))) {
      plan.push({ pactId: allPactId, user: person, at: sometimeSince(allOpens) });
    }
  }
  plan.sort((a, b) => a.at.getTime() - b.at.getTime());

  let signatures = signedOnPaper;
  for (const { pactId, user, at: when } of plan) {
    const result = await signPact(at(when), {
      pactId,
      userId: user.id,
      consent: true,
      typedName: user.fullName,
      // The heads draw their signature (so that a receipt shows one, and an admin's look at it is recorded); the
      // staff type their name. Each drawing from a stream of its own: who signs must not depend on it.
      signatureDataUrl: pactId === headsPactId ? demoSignatureDataUrl(seededRandom(user.id)) : '',
      actor: { ...actor, userId: user.id },
    });
    if (!result.ok) throw new Error(`demo signing of pact ${pactId} by user ${user.id}: ${result.reason}`);
    signatures += 1;
  }
  return { pacts: 3, signatures };
}

/**
 * The 2023 heads pact as an archive: created and published closed, then the signing sheet of the 52 OPD heads (the
 * sheet Ikrar prints for a ceremony, standing in for the scan of the signed original) recorded as signed on paper by
 * all of them on the day. Returns how many signings were recorded.
 */
async function seedCeremony2023(
  services: DemoPactServices,
  options: {
    admin: User;
    actor: Actor;
    opdUnits: readonly { id: number; name: string; headUserId: number | null; root: boolean }[];
    create: (input: PactInput) => Promise<number>;
    open: (pactId: number) => Promise<void>;
  },
): Promise<number> {
  const zone = services.timeZone;
  const ceremony = DEMO_CEREMONY_2023;
  const pactId = await options.create({
    title: ceremony.title,
    body: readText('pakta-kepala-opd-2023'),
    place: 'Semarang',
    audience: 'heads',
    opensAt: zone.instantOf(ceremony.opensAt) as Date,
    deadline: zone.instantOf(ceremony.deadline) as Date,
    unitIds: options.opdUnits.filter((unit) => unit.root).map((unit) => unit.id),
    archived: true,
    ceremonyOn: ceremony.day,
    ceremonyPlace: ceremony.place,
  });
  await options.open(pactId);
  const pact = await services.pacts.findById(pactId);
  if (!pact) throw new Error('the archived demo pact is missing');

  const byId = new Map(
    (await services.users.findByIds(options.opdUnits.flatMap((unit) => unit.headUserId ?? []))).map(
      (user) => [user.id, user],
    ),
  );
  // Each OPD on the sheet with its one head.
  const sheetUnits = options.opdUnits.map((unit) => {
    const head = unit.headUserId === null ? undefined : byId.get(unit.headUserId);
    if (!head) throw new Error(`demo unit ${unit.name} has no head`);
    return { name: unit.name, people: [head] };
  });
  const heads = sheetUnits.flatMap((unit) => unit.people);
  const t = defaultTranslator();
  const sheet = await signingSheetPdf(
    signingSheetDocument(zone, t, {
      instance: await readInstanceSettings(services.settings),
      pact,
      units: sheetUnits,
      // Printed for the ceremony, on its morning.
      printedAt: zone.instantOf(ceremony.opensAt) as Date,
      // Said on the sheet itself: the demo has no scan of the real signed original.
      printedText:
        'Contoh untuk demo: lembar ini dibuat ulang oleh Ikrar dari daftar kepala perangkat daerah dan tidak memuat tanda tangan asli.',
    }),
    t,
  );
  const scan = await checkScan(sheet, ceremony.scanFileName);
  if (!scan.ok) throw new Error(`the demo signing sheet is not a scan: ${scan.problem}`);

  const result = await recordPaperSignings(services, {
    pactId,
    userIds: heads.map((head) => head.id),
    sheet: { signedOn: ceremony.day, place: ceremony.place, witness: ceremony.witness, scan },
    recorder: options.admin,
    actor: options.actor,
  });
  if (!result.ok || result.recorded.length !== heads.length) {
    throw new Error(`the 2023 ceremony could not be recorded: ${JSON.stringify(result)}`);
  }
  return result.recorded.length;
}

/** A copy of `items` in a seeded random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
