import type { Formatter } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import {
  type AuditEvent,
  LABEL_KINDS,
  type LabelKind,
  type LabelRequest,
  type Labels,
} from './repository.js';

/** The target types written by the operations (`target: { type }`), mapped to the records they name. */
const TARGET_KINDS: Readonly<Record<string, LabelKind>> = {
  user: 'user',
  pact: 'pact',
  unit: 'unit',
  agreement: 'agreement',
  signature: 'signature',
  post: 'post',
};

/** Detail keys whose value is the id of a record (or a list of ids, or a `{ from, to }` pair of them). */
const REFERENCE_KEYS: Readonly<Record<string, LabelKind>> = {
  userId: 'user',
  fromUserId: 'user',
  toUserId: 'user',
  pactId: 'pact',
  pact: 'pact',
  newPactId: 'pact',
  supersededBy: 'pact',
  unitId: 'unit',
  unit: 'unit',
  parentId: 'unit',
  parentUnitId: 'unit',
  fromParentId: 'unit',
  toParentId: 'unit',
};

/** Keys that name records only as a list: `units: [3, 4]` names units, `units: 12` counts them. */
const LIST_REFERENCE_KEYS: Readonly<Record<string, LabelKind>> = { units: 'unit' };

const referenceKind = (key: string | null, inList: boolean): LabelKind | undefined =>
  key === null ? undefined : (REFERENCE_KEYS[key] ?? (inList ? LIST_REFERENCE_KEYS[key] : undefined));

/**
 * Detail keys whose values are codes named in the catalogue under one of these prefixes, tried in order
 * (`audit.value.reason.locked`). A head's kind (`plt`) and a unit's (`dinas`) share the key `kind` and no code; a
 * refused roster file's problem reads as the import page said it, its numbers taken from the event's details.
 */
const CODED_KEYS: Readonly<Record<string, readonly string[]>> = {
  reason: ['audit.value.reason'],
  purpose: ['audit.value.purpose'],
  by: ['audit.value.by'],
  role: ['role'],
  audience: ['pact.audience'],
  status: ['audit.value.status'],
  kind: ['audit.value.head_kind', 'unit.kind'],
  fromKind: ['audit.value.head_kind'],
  format: ['audit.value.format'],
  problem: ['admin.import.problem'],
};

const MAX_VALUE = 160;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const idOf = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value)) return Number(value);
  return null;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every id the events name (their targets and their details, nested ones too), by kind, each once. */
export function labelRequest(events: readonly AuditEvent[]): LabelRequest {
  const found = Object.fromEntries(LABEL_KINDS.map((kind) => [kind, new Set<number>()])) as Record<
    LabelKind,
    Set<number>
  >;
  const visit = (key: string | null, value: unknown, inList = false): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(key, item, true);
    } else if (isPlainObject(value)) {
      for (const [inner, item] of Object.entries(value)) {
        if (inner === 'from' || inner === 'to') visit(key, item, inList);
        else visit(inner, item);
      }
    } else {
      const kind = referenceKind(key, inList);
      const id = idOf(value);
      if (kind && id !== null) found[kind].add(id);
    }
  };
  for (const event of events) {
    const kind = event.targetType ? TARGET_KINDS[event.targetType] : undefined;
    const id = idOf(event.targetId);
    if (kind && id !== null) found[kind].add(id);
    visit(null, event.details);
  }
  return Object.fromEntries(LABEL_KINDS.map((kind) => [kind, [...found[kind]]])) as LabelRequest;
}

export interface DescribedEvent {
  /**
   * The target in words ("Budi Santoso", the pact's title) and its type with its id ("pakta #7"; a signature's pact
   * after it); null without one.
   */
  targetLabel: { text: string; kind: string } | null;
  /** Each detail as a label and a value in words, in the order recorded. */
  detailItems: { label: string; value: string }[];
  /** The details as stored, for the technical reader. */
  detailsJson: string;
}

/** Reads events for people: names for ids, labels for keys and codes, dates on the page's clocks. */
export function eventDescriber(labels: Labels, t: Translate, fmt: Formatter) {
  /** The catalogue's text for `key`, or null when it has none (t gives the key back then). */
  const known = (key: string, params?: Record<string, string>): string | null => {
    const text = t(key, params);
    return text === key ? null : text;
  };

  /** An event's numbers as its coded values' sentences quote them ("lebih dari {max} baris"). */
  const numbersOf = (details: Record<string, unknown>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(details).flatMap(([key, value]) =>
        typeof value === 'number' ? [[key, fmt.formatNumber(value)]] : [],
      ),
    );

  const nameOf = (kind: LabelKind, id: number): string => {
    if (kind === 'signature') {
      const signature = labels.signature.get(id);
      return signature
        ? t('audit.target.signature', { name: signature.name })
        : t('audit.target.unknown.signature', { id });
    }
    return labels[kind].get(id) ?? t(`audit.target.unknown.${kind}`, { id });
  };

  const cut = (text: string): string => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);

  /** A detail's value in words; `numbers` are the event's, for a coded value's sentence. */
  const wordsFor = (
    key: string | null,
    value: unknown,
    numbers: Record<string, string>,
    inList = false,
  ): string => {
    if (value === null || value === undefined || value === '') return '–';
    if (typeof value === 'boolean') return t(value ? 'audit.value.yes' : 'audit.value.no');
    if (Array.isArray(value)) return value.map((item) => wordsFor(key, item, numbers, true)).join(', ');
    if (isPlainObject(value)) {
      const entries = Object.entries(value);
      if (entries.length > 0 && entries.every(([inner]) => inner === 'from' || inner === 'to')) {
        return `${wordsFor(key, value.from, numbers, inList)} → ${wordsFor(key, value.to, numbers, inList)}`;
      }
      return entries
        .map(([inner, item]) => `${labelOf(inner)}: ${wordsFor(inner, item, numbers)}`)
        .join(', ');
    }
    const kind = referenceKind(key, inList);
    const id = idOf(value);
    if (kind && id !== null) return nameOf(kind, id);
    const text = String(value);
    const prefixes = key !== null && typeof value === 'string' ? (CODED_KEYS[key] ?? []) : [];
    for (const prefix of prefixes) {
      // A placeholder the event did not record (a roster's column names, never kept) reads as an ellipsis.
      const named = known(`${prefix}.${text}`, numbers)?.replace(/\{\w+\}/g, '…');
      if (named) return named;
    }
    if (typeof value === 'string' && INSTANT.test(text) && !Number.isNaN(Date.parse(text))) {
      return fmt.formatDateTime(text);
    }
    if (typeof value === 'string' && DAY.test(text)) return fmt.formatDay(text);
    return cut(text);
  };

  const labelOf = (key: string): string => known(`audit.detail.${key}`) ?? key;

  return (event: AuditEvent): DescribedEvent => {
    let target: DescribedEvent['targetLabel'] = null;
    if (event.targetType) {
      const kind = TARGET_KINDS[event.targetType];
      const id = idOf(event.targetId);
      const typeLabel = known(`audit.target_type.${event.targetType}`) ?? event.targetType;
      const withId = event.targetId ? `${typeLabel} #${event.targetId}` : typeLabel;
      // A signature's pact goes on the smaller second line: pact titles are long.
      const pact = kind === 'signature' && id !== null ? labels.signature.get(id)?.pact : undefined;
      target =
        kind && id !== null
          ? { text: nameOf(kind, id), kind: pact ? `${withId} · ${pact}` : withId }
          : { text: withId, kind: '' };
    }
    const numbers = numbersOf(event.details);
    return {
      targetLabel: target,
      detailItems: Object.entries(event.details).map(([key, value]) => ({
        label: labelOf(key),
        value: wordsFor(key, value, numbers),
      })),
      detailsJson: JSON.stringify(event.details),
    };
  };
}
