import type { Clock } from '../../core/clock.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { PactDraft } from '../pact-repository.js';
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
}

/** Field → catalogue key: the rules a draft must meet beyond the shape of its form. */
export async function checkPactInput(
  services: { units: UnitRepository; clock: Clock },
  input: PactInput,
): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  if (input.deadline.getTime() <= input.opensAt.getTime()) {
    problems.deadline = 'pact.form.deadline_before_opens';
  } else if (input.deadline.getTime() <= services.clock.now().getTime()) {
    problems.deadline = 'pact.form.deadline_passed';
  }
  for (const id of input.unitIds) {
    if (!(await services.units.findById(id))?.active) {
      problems.unit_ids = 'pact.form.unknown_unit';
      break;
    }
  }
  return problems;
}

export const toDraft = (input: PactInput): PactDraft => ({
  title: input.title,
  body: input.body,
  place: input.place,
  audience: input.audience,
  opensAt: input.opensAt.toISOString(),
  deadline: input.deadline.toISOString(),
});
