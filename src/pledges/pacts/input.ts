import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { PactDraft } from '../pact-repository.js';
import { periodDays } from '../period-days.js';
import type { Audience } from '../types.js';

/** What an admin fills in for a pact draft, already parsed from the form. */
export interface PactInput {
  title: string;
  body: string;
  place: string;
  audience: Audience;
  opensAt: Date;
  deadline: Date;
  /** Units whose subtrees the pact is for; empty for every unit. */
  unitIds: number[];
  /**
   * A record of a past period (migration 024): its deadline must have passed; it is filled in on paper only.
   * Absent: false.
   */
  archived?: boolean;
  /** The day ('YYYY-MM-DD') and place of the ceremony where it is signed together, both or neither (absent: none). */
  ceremonyOn?: string | null;
  ceremonyPlace?: string | null;
}

/** Field → catalogue key: the rules a draft must meet beyond the shape of its form. */
export async function checkPactInput(
  services: { units: UnitRepository; clock: Clock; timeZone: TimeZone },
  input: PactInput,
): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  const { archived = false, ceremonyOn = null, ceremonyPlace = null } = input;
  const past = input.deadline.getTime() <= services.clock.now().getTime();
  if (input.deadline.getTime() <= input.opensAt.getTime()) {
    problems.deadline = 'pact.form.deadline_before_opens';
  } else if (past && !archived) {
    problems.deadline = 'pact.form.deadline_passed';
  } else if (!past && archived) {
    problems.archived = 'pact.form.archive_not_past';
  }
  const zone = services.timeZone;
  if (ceremonyOn !== null && ceremonyPlace === null) {
    problems.ceremony_place = 'pact.form.ceremony_place_required';
  } else if (ceremonyOn === null && ceremonyPlace !== null) {
    problems.ceremony_on = 'pact.form.ceremony_on_required';
  } else if (ceremonyOn !== null && !problems.deadline && outsidePeriod(zone, ceremonyOn, input)) {
    problems.ceremony_on = 'pact.form.ceremony_outside_period';
  }
  for (const id of input.unitIds) {
    if (!(await services.units.findById(id))?.active) {
      problems.unit_ids = 'pact.form.unknown_unit';
      break;
    }
  }
  return problems;
}

/** Whether a day lies outside a pact's period (its first to its last day). */
export function outsidePeriod(
  zone: TimeZone,
  day: string,
  period: { opensAt: Date | string; deadline: Date | string },
): boolean {
  const { first, last } = periodDays(zone, period);
  return day < first || day > last;
}

export const toDraft = (input: PactInput): PactDraft => ({
  title: input.title,
  body: input.body,
  place: input.place,
  audience: input.audience,
  opensAt: input.opensAt.toISOString(),
  deadline: input.deadline.toISOString(),
  archived: input.archived ?? false,
  ceremonyOn: input.ceremonyOn ?? null,
  ceremonyPlace: input.ceremonyPlace ?? null,
});
