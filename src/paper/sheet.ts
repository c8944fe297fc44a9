import type { Response } from 'express';
import type { DetailRow } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import { formatNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { Pact } from '../pledges/types.js';
import type { InstanceSettings } from '../settings/instance.js';
import { formatterFor } from '../web/format.js';
import { defaultTranslator, type Translate } from '../web/i18n.js';
import { type SigningSheetDocument, signingSheetPdf } from './signing-sheet-pdf.js';

/** One person on a signing sheet, as stored (the NIP ungrouped, or null). */
type SheetPerson = Pick<User, 'fullName' | 'nip' | 'position' | 'pangkat'>;

/**
 * What the signing sheet of a pact prints: the instance's letterhead, the pact and its ceremony, these units with
 * their people in the order given, the instance's official under "Mengetahui", `printedText` under the title, and
 * a footer reference with the local day it was printed (`printedAt`). The demo seed prints its archive's sheet
 * through this too.
 */
export function signingSheetDocument(
  zone: TimeZone,
  t: Translate,
  options: {
    instance: InstanceSettings;
    pact: Pact;
    units: readonly { name: string; people: readonly SheetPerson[] }[];
    printedAt: Date;
    printedText: string;
  },
): SigningSheetDocument {
  const { instance, pact } = options;
  return {
    instanceName: instance.name,
    instanceAddress: instance.address,
    instanceLogo: instance.logo?.printPng,
    pactTitle: pact.title,
    pactVersion: pact.version,
    pactBody: pact.body,
    ceremony: pact.ceremonyOn
      ? {
          dateText: formatterFor(zone, t.language).formatDay(pact.ceremonyOn),
          place: pact.ceremonyPlace ?? pact.place,
          city: pact.place,
        }
      : null,
    units: options.units.map((unit) => ({
      name: unit.name,
      people: unit.people.map((person) => ({
        fullName: person.fullName,
        nip: person.nip ? formatNip(person.nip) : null,
        position: person.position,
        pangkat: person.pangkat,
      })),
    })),
    acknowledgedBy: {
      title: instance.officialTitle,
      name: instance.officialName || null,
      nip: instance.officialNip ? formatNip(instance.officialNip) : null,
    },
    printedText: options.printedText,
    reference: t('paper.sheet.reference', {
      id: pact.id,
      version: pact.version,
      day: zone.dayOf(options.printedAt),
    }),
  };
}

/**
 * Sends the ceremony's signing sheet of these units as a PDF: everyone the pact requires in them (signed or not:
 * the sheet is printed before the ceremony), unit by unit in the order chosen, with the instance's letterhead and
 * its official under "Mengetahui". In the instance's language, whoever prints it: signed and scanned, the sheet is
 * the record of the ceremony, and it stands beside the pact's own text.
 */
export async function sendSigningSheet(
  services: { clock: Clock; timeZone: TimeZone; instanceSettings: () => Promise<InstanceSettings> },
  res: Response,
  options: { pact: Pact; units: readonly UnitCompliance[]; people: readonly DetailRow[]; printedBy: User },
): Promise<void> {
  const { pact } = options;
  const t = defaultTranslator();
  const now = services.clock.now();
  const byUnit = new Map<string, DetailRow[]>();
  for (const person of options.people) {
    const list = byUnit.get(person.unitCode) ?? [];
    list.push(person);
    byUnit.set(person.unitCode, list);
  }
  const pdf = await signingSheetPdf(
    signingSheetDocument(services.timeZone, t, {
      instance: await services.instanceSettings(),
      pact,
      units: options.units.map((unit) => ({ name: unit.name, people: byUnit.get(unit.code) ?? [] })),
      printedAt: now,
      printedText: t('paper.sheet.printed', {
        name: options.printedBy.fullName,
        at: formatterFor(services.timeZone, t.language).formatDateTime(now),
      }),
    }),
    t,
  );
  res
    .type('application/pdf')
    .attachment(`lembar-tanda-tangan-${pact.id}-${services.timeZone.dayOf(now)}.pdf`)
    .set({ 'Cache-Control': 'no-store', 'Content-Language': t.language })
    .send(pdf);
}
