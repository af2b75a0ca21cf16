// The service catalog as the core sees it: what each functional department offers, what a
// requester must bring before asking (shown up front), the form, the deadline targets in
// working time, the standard lead time, how work is assigned, and the reminder rules.
// Loading and validating the YAML lives in config/catalog-file.ts.
import type { Locale } from '../org/org.ts';
import type { WorkingDuration } from '../time/working-time.ts';

export type Texts = Record<Locale, string>;

/** The form field kinds a service may ask for (the forms' kinds, chat/form.ts, which takes these fields as they are). */
export const CATALOG_FIELD_KINDS = ['text', 'longText', 'number', 'date', 'dateTime', 'choice', 'multiChoice', 'person', 'customer', 'yesNo'] as const;
export type CatalogFieldKind = (typeof CATALOG_FIELD_KINDS)[number];

export interface CatalogField {
  name: string;
  kind: CatalogFieldKind;
  label: Texts;
  required?: boolean;
  hint?: Texts;
  maxLength?: number;
  min?: number;
  max?: number;
  choices?: { value: string; label: Texts }[];
}

/** Who gets a new request: the department head, a fixed person, or rotation among members (skipping anyone away). */
export type AssignRule = { rule: 'head' } | { rule: 'person'; person: string } | { rule: 'rotation' };

/** Who a reminder goes to: a role of the request (its assignee — the head while nobody has it —, the department head, the head's manager), the department's channel, or a named person. */
export type ReminderRecipient = 'assignee' | 'head' | 'headManager' | 'channel' | { person: string };

/** Who is told at each threshold: before the breach (the `at` fractions), at the breach and each repeat, at `escalateAt`. */
export interface ReminderRecipients {
  before: ReminderRecipient[];
  breach: ReminderRecipient[];
  escalate: ReminderRecipient[];
}

/** Today's behaviour, the catalog's default: the assignee before, the head at breach, the head's manager above. */
export const DEFAULT_REMINDER_RECIPIENTS: ReminderRecipients = { before: ['assignee'], breach: ['head'], escalate: ['headManager'] };

export interface ReminderRules {
  /** Fractions of a target at which the assignee is reminded. */
  at: number[];
  /** After breach, the head is reminded again this often (working time) until someone acts. */
  repeatEvery: WorkingDuration;
  /** At this multiple of the target the head's manager is told. */
  escalateAt: number;
  /** Who is told at each threshold (each part defaults to DEFAULT_REMINDER_RECIPIENTS). */
  to?: Partial<ReminderRecipients>;
}

export interface CatalogService {
  key: string;
  name: Texts;
  departmentId: string;
  fields: CatalogField[];
  prerequisites: Texts[];
  /** The requester's manager approves before the department sees it. */
  managerApproves: boolean;
  targets: { firstResponse: WorkingDuration; resolution: WorkingDuration };
  /** Standard lead time in working days (the promise check). */
  leadTimeDays: number;
  assign: AssignRule;
  reminders: ReminderRules;
  /** A resolved request closes by itself after this long (working time) unless the requester reopens it. */
  closeAfter: WorkingDuration;
  /** The rating prompt closes after this long. */
  ratingWindow: WorkingDuration;
  /** "Waiting on requester" longer than this (working time) is flagged to the head. */
  maxPause: WorkingDuration;
}

export interface Catalog {
  services: CatalogService[];
}

export function serviceByKey(catalog: Catalog, key: string): CatalogService | undefined {
  const k = key.trim().toLowerCase();
  return catalog.services.find((s) => s.key === k || s.name.en.toLowerCase() === k || s.name['zh-CN'] === key.trim());
}
