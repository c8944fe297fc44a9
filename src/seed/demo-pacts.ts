import { readFileSync } from 'node:fs';
import { systemActor } from '../audit/record-event.js';
import { projectPath } from '../core/paths.js';
import { createPact } from '../pledges/pacts/create-pact.js';
import { openPact } from '../pledges/pacts/open-pact.js';
import { type SignServices, signPact } from '../pledges/signing/sign-pact.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Heads who have not signed the heads pact yet: the two kabupaten named in the real 2023 post, and a few OPD. */
const HEADS_STILL_OUTSTANDING = ['33.27', '33.18', 'DISKOMINFO', 'DISPORAPAR', 'BAPENDA', 'RSUD-REHATTA'];
/** Demo accounts that must find the pacts unsigned (DESIGN.md). */
const NEVER_SIGNED_EMAILS = ['kepala@ikrar.test', 'asn@ikrar.test'];

const readText = (name: string): string => readFileSync(projectPath('db', 'seeds', `${name}.md`), 'utf8');

/**
 * Two open pacts through the real operations (so the ledger and audit log are real too): one for heads, most of
 * whom have signed, and one for all ASN, a little over half signed. Signing times are spread over the days since
 * each pact opened. Runs inside the demo seed's transaction.
 */
export async function seedDemoPacts(
  services: SignServices,
  random: () => number,
): Promise<{ pacts: number; signatures: number }> {
  const now = services.clock.now();
  const actor = systemActor;
  const heads = await createPact(services, {
    actor,
    input: {
      title:
        'Pakta Integritas Netralitas ASN bagi Kepala Perangkat Daerah pada Pemilu dan Pemilihan Serentak 2024',
      body: readText('pakta-kepala-opd'),
      place: 'Semarang',
      audience: 'heads',
      opensAt: new Date(now.getTime() - 10 * DAY_MS),
      deadline: new Date(now.getTime() + 20 * DAY_MS),
      unitIds: [],
    },
  });
  const all = await createPact(services, {
    actor,
    input: {
      title: 'Pakta Integritas Netralitas Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah Tahun 2024',
      body: readText('pakta-asn'),
      place: 'Semarang',
      audience: 'all',
      opensAt: new Date(now.getTime() - 7 * DAY_MS),
      deadline: new Date(now.getTime() + 30 * DAY_MS),
      unitIds: [],
    },
  });
  if (!heads.ok || !all.ok) throw new Error('demo pacts could not be created');
  for (const pactId of [heads.pactId, all.pactId]) await openPact(services, { pactId, actor });

  const outstandingHeads = new Set<number>();
  for (const code of HEADS_STILL_OUTSTANDING) {
    const headUserId = (await services.units.findByCode(code))?.headUserId;
    if (headUserId != null) outstandingHeads.add(headUserId);
  }
  const neverSigned = new Set<number | undefined>();
  for (const email of NEVER_SIGNED_EMAILS) neverSigned.add((await services.users.findByEmail(email))?.id);
  // Heads (as at the real ceremony) and about 55% of everyone, signing at times spread over the days each pact has
  // been open; signed in time order so that the ledger reads like the real thing.
  const plan: { pactId: number; userId: number; at: Date }[] = [];
  const when = (daysOpen: number) => new Date(now.getTime() - random() * daysOpen * DAY_MS);
  for (const unit of await services.units.listActive()) {
    if (unit.headUserId && !outstandingHeads.has(unit.headUserId)) {
      plan.push({ pactId: heads.pactId, userId: unit.headUserId, at: when(10) });
    }
  }
  for (const userId of await services.users.activeIds()) {
    if (random() < 0.55) plan.push({ pactId: all.pactId, userId, at: when(7) });
  }
  plan.sort((a, b) => a.at.getTime() - b.at.getTime());

  let signatures = 0;
  for (const { pactId, userId, at } of plan) {
    const user = await services.users.findById(userId);
    if (!user || neverSigned.has(userId)) continue;
    const result = await signPact(
      { ...services, clock: { now: () => at } },
      {
        pactId,
        userId,
        consent: true,
        typedName: user.fullName,
        signatureDataUrl: '',
        actor: { ...actor, userId },
      },
    );
    if (result.ok) signatures += 1;
  }
  return { pacts: 2, signatures };
}
