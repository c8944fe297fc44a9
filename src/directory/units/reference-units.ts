import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { projectPath } from '../../core/paths.js';
import type { UnitRepository } from '../unit-repository.js';

const referenceUnitSchema = z.array(
  z.object({
    code: z.string().min(1),
    name: z.string().min(1),
    kind: z.string().min(1),
    parent: z.string().min(1).optional(),
  }),
);

export type ReferenceUnit = z.infer<typeof referenceUnitSchema>[number];

/** Reads a reference set shipped in db/seeds/ (e.g. 'jateng-opd', 'jateng-kabkota'). */
export function readReferenceUnits(name: string): ReferenceUnit[] {
  return referenceUnitSchema.parse(
    JSON.parse(readFileSync(projectPath('db', 'seeds', `${name}.json`), 'utf8')),
  );
}

/**
 * Adds the units that are not there yet (matched by code), parents before children. Returns how many were added.
 * Call it inside a transaction.
 */
export async function loadReferenceUnits(
  units: UnitRepository,
  reference: ReferenceUnit[],
  clock: Clock,
): Promise<number> {
  let added = 0;
  const pending = [...reference];
  while (pending.length > 0) {
    const ready: ReferenceUnit[] = [];
    for (const unit of pending) {
      if (!unit.parent || (await units.findByCode(unit.parent))) ready.push(unit);
    }
    if (ready.length === 0) {
      throw new Error(
        `Induk unit tidak ditemukan: ${pending.map((unit) => `${unit.code} → ${unit.parent}`).join(', ')}`,
      );
    }
    for (const unit of ready) {
      pending.splice(pending.indexOf(unit), 1);
      if (await units.findByCode(unit.code)) continue;
      const parentId = unit.parent ? ((await units.findByCode(unit.parent))?.id ?? null) : null;
      await units.insert({ code: unit.code, name: unit.name, kind: unit.kind, parentId }, clock.now());
      added += 1;
    }
  }
  return added;
}
