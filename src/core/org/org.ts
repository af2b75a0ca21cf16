// The company as kehu sees it: people, departments, managers, roles and the visitor duty
// roster. Pure data and look-ups; loading and validating the YAML lives in config/.
import type { TPoolRules } from '../customers/pool-rules.ts';
import type { DigestSchedule } from '../digests/period.ts';
import type { TVisitorSettings } from '../visitors/visitor-settings.ts';

export const ROLES = ['rep', 'manager', 'front-desk', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEPARTMENT_KINDS = ['sales', 'function', 'front-desk'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Person {
  id: string;
  name: string;
  email: string;
  slackId?: string;
  larkId?: string;
  departmentId: string;
  managerId?: string;
  roles: Role[];
  locale?: Locale;
  /** The org file's `left: <date>` (YYYY-MM-DD, org time): from that day their customers are handed over (core/handovers/). */
  leftOn?: string;
}

export interface Department {
  id: string;
  name: string;
  kind: DepartmentKind;
  headId?: string;
  memberIds: string[];
  channel?: { slack?: string; lark?: string };
  /** Decides claim contests on this department's customers, before the owner's manager. */
  arbiterId?: string;
  /** The department's own working hours and zone (service-request deadlines); the org's otherwise. */
  workingHours?: { start: string; end: string; days: Weekday[]; timezone: string };
}

export interface DutySlot {
  personId: string;
  days: Weekday[];
  /** "HH:MM" in the org time zone */
  from: string;
  to: string;
}

export interface Org {
  company: string;
  locale: Locale;
  timezone: string;
  workingHours: { start: string; end: string; days: Weekday[] };
  departments: Department[];
  people: Person[];
  duty: DutySlot[];
  /** Public-pool rules (defaults in core/customers/pool-rules.ts). */
  pool: TPoolRules;
  /** When weekly (and daily) digests are delivered (core/digests/period.ts). */
  digest: DigestSchedule;
  /** Decides claim contests nobody in the owner's line can (see core/customers/arbitration.ts). */
  arbiterId?: string;
  /** Walk-in visitors: escalation times, retention, the sales department, former staff (core/visitors/visitor-settings.ts). */
  visitors: TVisitorSettings;
  /** Days the org file adds to or removes from the working calendar ("YYYY-MM-DD"), over the package's. */
  calendar: { workingDays: string[]; daysOff: string[] };
}

/** Someone the org file once listed and lists no more, as kehu last saw them (the person records). */
export interface FormerPerson {
  id: string;
  name: string;
  managerId?: string;
  departmentId?: string;
}

/** Fast look-ups over an Org; built once per (re)load. */
export class OrgDirectory {
  private former: ReadonlyMap<string, FormerPerson> = new Map();
  private readonly byId = new Map<string, Person>();
  private readonly byEmail = new Map<string, Person>();
  private readonly bySlack = new Map<string, Person>();
  private readonly byLark = new Map<string, Person>();
  private readonly departmentsById = new Map<string, Department>();

  constructor(readonly org: Org) {
    for (const p of org.people) {
      this.byId.set(p.id, p);
      this.byEmail.set(normaliseEmail(p.email), p);
      if (p.slackId) this.bySlack.set(p.slackId, p);
      if (p.larkId) this.byLark.set(p.larkId, p);
    }
    for (const d of org.departments) this.departmentsById.set(d.id, d);
  }

  person(id: string): Person | undefined {
    return this.byId.get(id);
  }
  personByEmail(email: string): Person | undefined {
    return this.byEmail.get(normaliseEmail(email));
  }
  personByChatId(platform: 'slack' | 'lark', userId: string): Person | undefined {
    return (platform === 'slack' ? this.bySlack : this.byLark).get(userId);
  }
  department(id: string): Department | undefined {
    return this.departmentsById.get(id);
  }
  manager(person: Person): Person | undefined {
    return person.managerId ? this.byId.get(person.managerId) : undefined;
  }
  localeOf(person: Person | undefined): Locale {
    return person?.locale ?? this.org.locale;
  }
  /** Roles held explicitly plus 'manager' for anyone who heads a department or has reports. */
  effectiveRoles(person: Person): Set<Role> {
    const roles = new Set<Role>(person.roles);
    if (this.org.departments.some((d) => d.headId === person.id)) roles.add('manager');
    if (this.org.people.some((p) => p.managerId === person.id)) roles.add('manager');
    return roles;
  }
  /** True when `who` is `person`'s manager, directly or further up the chain. */
  isAbove(who: Person, person: Person): boolean {
    const seen = new Set<string>();
    let current = this.manager(person);
    while (current && !seen.has(current.id)) {
      if (current.id === who.id) return true;
      seen.add(current.id);
      current = this.manager(current);
    }
    return false;
  }
  /**
   * An owner who is gone on `today` (YYYY-MM-DD, org time): removed from the org file, or
   * past their `left:` day. Their customers are protected from the pool until a handover
   * takes them (core/handovers/).
   */
  isGone(personId: string, today: string): boolean {
    const p = this.byId.get(personId);
    return !p || (p.leftOn !== undefined && p.leftOn <= today);
  }
  get people(): readonly Person[] {
    return this.org.people;
  }
  /**
   * Someone removed from the org file, as the file last listed them (their name, manager and
   * department), so that their manager still hears of them and may hand them over.
   */
  formerPerson(id: string): FormerPerson | undefined {
    return this.byId.has(id) ? undefined : this.former.get(id);
  }
  /** Set once per load by whoever keeps the person records (the back office). */
  knowFormer(former: ReadonlyMap<string, FormerPerson>): void {
    this.former = former;
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
