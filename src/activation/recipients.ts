import { hasTakenOverAccount } from '../credentials/account-access.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import type { RosterImportRepository } from '../directory/roster/repository.js';
import type { User } from '../directory/types.js';
import type { UnitRepository, UnitTreeEntry } from '../directory/unit-repository.js';
import type { UserRepository } from '../directory/user-repository.js';

/**
 * Letters one request may print. A province's 50,000 ASN in one PDF would take many minutes to print and one lost
 * connection to lose: such a request is refused with the advice to print unit by unit.
 */
export const MAX_LETTERS = 10_000;

/**
 * People one selection may span. Who gets a letter is decided person by person (letterRefusal), so a selection is
 * read whole: a province's tree (50,000 people) is refused by its count before any of them is read.
 */
export const MAX_SELECTED = 2 * MAX_LETTERS;

/** Whom letters are asked for: a unit (with its sub-units or not), the people of a roster import, or typed NIPs. */
export type LetterSelection =
  | { kind: 'unit'; unitId: number; subtree: boolean }
  | { kind: 'import'; importId: number }
  | { kind: 'list'; nips: readonly string[] };

/** Why someone in the selection gets no letter. */
export type SkipReason = 'has_password' | 'disabled' | 'no_nip' | 'not_managed';
export const SKIP_REASONS: readonly SkipReason[] = ['has_password', 'disabled', 'no_nip', 'not_managed'];

type Manager = Pick<User, 'id' | 'role' | 'unitId'>;

/**
 * Why this person gets no letter from this manager, or null when they get one. Letters are for signers and
 * operators (admins come in through `create-admin` and mailed links); an operator prints only for the signers of
 * their subtree (`scopeUnitIds`; null: every unit). A person who has taken their account over gets a letter only as
 * a reset letter, which only an admin may ask for (`resets`).
 */
export function letterRefusal(
  manager: Manager,
  user: User,
  scopeUnitIds: ReadonlySet<number> | null,
  resets: boolean,
): SkipReason | null {
  const managed =
    manager.role === 'admin'
      ? user.role !== 'admin'
      : user.role === 'signer' && user.unitId !== null && scopeUnitIds?.has(user.unitId) === true;
  if (!managed) return 'not_managed';
  if (user.status !== 'active') return 'disabled';
  if (user.nip === null) return 'no_nip';
  if (hasTakenOverAccount(user) && !(resets && manager.role === 'admin')) return 'has_password';
  return null;
}

/** A person a letter is for, with the name of their unit. */
export interface LetterRecipient {
  user: User;
  unitName: string;
}

export interface RecipientList {
  recipients: LetterRecipient[];
  /** How many of the selection get no letter, by reason. */
  skipped: Record<SkipReason, number>;
  /** Typed NIPs that name nobody this manager may print for. */
  unknownNips: string[];
  /** How many recipients have had a letter before: its code stops working when this one is printed. */
  replacing: number;
}

type Services = {
  units: UnitRepository;
  users: UserRepository;
  rosterImports: RosterImportRepository;
  passwordLinks: PasswordLinkRepository;
};

/** The units a manager may print for, in tree order (an admin: every unit; an operator: their subtree). */
export const unitsOfManager = async (
  services: Pick<Services, 'units'>,
  manager: Manager,
): Promise<UnitTreeEntry[]> =>
  manager.role === 'admin'
    ? services.units.tree(null)
    : manager.unitId === null
      ? []
      : services.units.tree(manager.unitId);

export type Selected =
  | { ok: true; list: RecipientList }
  /** The selection names a unit or an import the manager may not see (answered as unknown). */
  | { ok: false; reason: 'not_found' }
  /** The selection spans more than MAX_SELECTED people. */
  | { ok: false; reason: 'too_big'; people: number };

/** Who gets a letter for a selection, in print order (units in tree order, then names), and who does not and why. */
export async function selectRecipients(
  services: Services,
  options: { manager: Manager; selection: LetterSelection; resets: boolean },
): Promise<Selected> {
  const { manager, selection } = options;
  const units = await unitsOfManager(services, manager);
  const scope = manager.role === 'admin' ? null : new Set(units.map((unit) => unit.id));
  let people: User[];
  let unknownNips: string[] = [];
  if (selection.kind === 'unit') {
    const unit = units.find((u) => u.id === selection.unitId);
    if (!unit) return { ok: false, reason: 'not_found' };
    const unitIds = selection.subtree
      ? [unit.id, ...(await services.units.descendantIds(unit.id))]
      : [unit.id];
    const spanned = await services.users.countInUnits(unitIds);
    if (spanned > MAX_SELECTED) return { ok: false, reason: 'too_big', people: spanned };
    people = await services.users.inUnits(unitIds);
  } else if (selection.kind === 'import') {
    const record = await services.rosterImports.findById(selection.importId);
    if (record?.status !== 'applied' || (manager.role !== 'admin' && record.createdBy !== manager.id))
      return { ok: false, reason: 'not_found' };
    const ids = await services.rosterImports.peopleOf(record.id);
    if (ids.length > MAX_SELECTED) return { ok: false, reason: 'too_big', people: ids.length };
    people = await services.users.findByIds(ids);
  } else {
    people = await services.users.findByNips(selection.nips);
    const found = new Set(
      people
        .filter((user) => letterRefusal(manager, user, scope, true) !== 'not_managed')
        .map((user) => user.nip),
    );
    // Someone outside the manager's reach is answered like a NIP that names nobody.
    unknownNips = selection.nips.filter((nip) => !found.has(nip));
    people = people.filter((user) => found.has(user.nip));
  }
  return { ok: true, list: await sortedRecipients(services, options, people, units, scope, unknownNips) };
}

/** The people of a prepared print run who still get a letter, in the order the preview showed. */
export async function confirmedRecipients(
  services: Services,
  options: { manager: Manager; recipientIds: readonly number[]; resets: boolean },
): Promise<LetterRecipient[]> {
  const units = await unitsOfManager(services, options.manager);
  const scope = options.manager.role === 'admin' ? null : new Set(units.map((unit) => unit.id));
  const names = new Map(units.map((unit) => [unit.id, unit.name]));
  const byId = new Map((await services.users.findByIds(options.recipientIds)).map((user) => [user.id, user]));
  return options.recipientIds.flatMap((id) => {
    const user = byId.get(id);
    return user && letterRefusal(options.manager, user, scope, options.resets) === null
      ? [{ user, unitName: (user.unitId !== null && names.get(user.unitId)) || '' }]
      : [];
  });
}

const byName = new Intl.Collator('id');

async function sortedRecipients(
  services: Services,
  options: { manager: Manager; resets: boolean },
  people: readonly User[],
  units: readonly UnitTreeEntry[],
  scope: ReadonlySet<number> | null,
  unknownNips: string[],
): Promise<RecipientList> {
  const order = new Map(units.map((unit, index) => [unit.id, index]));
  const names = new Map(units.map((unit) => [unit.id, unit.name]));
  const skipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
  const recipients: LetterRecipient[] = [];
  for (const user of people) {
    const refusal = letterRefusal(options.manager, user, scope, options.resets);
    if (refusal) skipped[refusal] += 1;
    else recipients.push({ user, unitName: (user.unitId !== null && names.get(user.unitId)) || '' });
  }
  const place = (r: LetterRecipient) => (r.user.unitId === null ? -1 : (order.get(r.user.unitId) ?? -1));
  recipients.sort(
    (a, b) =>
      place(a) - place(b) || byName.compare(a.user.fullName, b.user.fullName) || a.user.id - b.user.id,
  );
  const letters = await services.passwordLinks.latestLetters(recipients.map((r) => r.user.id));
  return { recipients, skipped, unknownNips, replacing: letters.size };
}
