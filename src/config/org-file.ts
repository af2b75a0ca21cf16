// The org file (YAML): parsed, validated with zod and with the core's cross-reference
// rules, and turned into an Org. Every error names the file, the path inside it, the
// line, and what is wrong. OrgStore keeps the running org and reloads it on change (and
// on SIGHUP, through main.ts), refusing an invalid edit and keeping the config it has.
import { StartRefusal } from './start-refusal.ts';
import { readFileSync } from 'node:fs';
import { watchConfigFile } from './watch-file.ts';
import { readYaml } from './yaml-document.ts';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEPARTMENT_KINDS, LOCALES, OrgDirectory, ROLES, WEEKDAYS, type Org } from '../core/org/org.ts';
import { validateOrg } from '../core/org/validate-org.ts';
import { ZPoolRulesSchema } from '../core/customers/pool-rules.ts';
import { DEFAULT_DIGEST_SCHEDULE } from '../core/digests/period.ts';
import { DEFAULT_VISITOR_SETTINGS, ZVisitorSettingsSchema } from '../core/visitors/visitor-settings.ts';

export const EXAMPLE_ORG_FILE = fileURLToPath(new URL('./examples/org.example.yaml', import.meta.url));

const ZClockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "09:00"');
const ZDaySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date like "2027-02-11"');
const ZIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'may hold only letters, digits, dot, dash and underscore');
const ZTimezoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone (e.g. Asia/Shanghai)' },
);

export const ZOrgFileSchema = z.strictObject({
  company: z.string().min(1),
  locale: z.enum(LOCALES).default('zh-CN'),
  timezone: ZTimezoneSchema.default('Asia/Shanghai'),
  workingHours: z
    .strictObject({
      start: ZClockSchema.default('09:00'),
      end: ZClockSchema.default('18:00'),
      days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    })
    .default({ start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
  departments: z
    .array(
      z.strictObject({
        id: ZIdSchema,
        name: z.string().min(1),
        kind: z.enum(DEPARTMENT_KINDS),
        head: ZIdSchema.optional(),
        members: z.array(ZIdSchema).default([]),
        channel: z.strictObject({ slack: z.string().min(1).optional(), lark: z.string().min(1).optional() }).optional(),
        arbiter: ZIdSchema.optional(),
        /** This department's own working hours and zone (service-request deadlines); each part defaults to the org's. */
        workingHours: z
          .strictObject({ start: ZClockSchema.optional(), end: ZClockSchema.optional(), days: z.array(z.enum(WEEKDAYS)).min(1).optional(), timezone: ZTimezoneSchema.optional() })
          .optional(),
      }),
    )
    .min(1),
  people: z
    .array(
      z.strictObject({
        id: ZIdSchema,
        name: z.string().min(1),
        email: z.email(),
        slack: z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id like U0123ABCD').optional(),
        lark: z.string().min(1).optional(),
        department: ZIdSchema.optional(),
        manager: ZIdSchema.optional(),
        roles: z.array(z.enum(ROLES)).default([]),
        locale: z.enum(LOCALES).optional(),
        /** The last day of someone leaving (YYYY-MM-DD): their customers are protected and handed over. */
        left: z.iso.date().optional(),
      }),
    )
    .min(1),
  duty: z
    .array(
      z.strictObject({
        person: ZIdSchema,
        days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
        from: ZClockSchema,
        to: ZClockSchema,
      }),
    )
    .default([]),
  pool: ZPoolRulesSchema.default(ZPoolRulesSchema.parse({})),
  /** When the digests go out: the weekday of the weekly one and the time of both, org time. */
  digest: z.strictObject({ day: z.enum(WEEKDAYS).default(DEFAULT_DIGEST_SCHEDULE.day), time: ZClockSchema.default(DEFAULT_DIGEST_SCHEDULE.time) }).default(DEFAULT_DIGEST_SCHEDULE),
  /** Person who decides claim contests when the owner has no manager or department head. */
  arbiter: ZIdSchema.optional(),
  /** Walk-in visitors: escalation minutes, retention days, the sales department for visitors, former staff. */
  visitors: ZVisitorSettingsSchema.default(DEFAULT_VISITOR_SETTINGS),
  /** Days added to or removed from the working calendar over the package's (a year it does not know yet, a company day off). */
  calendar: z
    .strictObject({ workingDays: z.array(ZDaySchema).default([]), daysOff: z.array(ZDaySchema).default([]) })
    .default({ workingDays: [], daysOff: [] }),
});
export type TOrgFile = z.infer<typeof ZOrgFileSchema>;

export class OrgFileError extends StartRefusal {
  override name = 'OrgFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid org file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses org YAML text; `file` is only used in messages. Throws OrgFileError. */
export function parseOrgText(text: string, file: string): OrgDirectory {
  const yaml = readYaml(text);
  const { syntaxErrors, where } = yaml;
  if (syntaxErrors.length > 0) throw new OrgFileError(file, syntaxErrors);
  const parsed = ZOrgFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    throw new OrgFileError(
      file,
      parsed.error.issues.map((i) => `${where(i.path as (string | number)[])}: ${i.message}`),
    );
  }
  const org = toOrg(parsed.data);
  const problems = validateOrg(org);
  if (problems.length > 0) throw new OrgFileError(file, problems.map((p) => `${where(p.path)}: ${p.message}`));
  return new OrgDirectory(org);
}

function toOrg(data: TOrgFile): Org {
  // A department's members may be listed on the department or on each person; both
  // spellings end up as person.departmentId.
  const listedIn = new Map<string, string>();
  for (const d of data.departments) for (const m of d.members) listedIn.set(m, d.id);
  const people = data.people.map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    slackId: p.slack,
    larkId: p.lark,
    departmentId: p.department ?? listedIn.get(p.id) ?? '',
    managerId: p.manager,
    roles: p.roles,
    locale: p.locale,
    leftOn: p.left,
  }));
  return {
    company: data.company,
    locale: data.locale,
    timezone: data.timezone,
    workingHours: data.workingHours,
    departments: data.departments.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      headId: d.head,
      channel: d.channel,
      arbiterId: d.arbiter,
      workingHours: d.workingHours
        ? {
            start: d.workingHours.start ?? data.workingHours.start,
            end: d.workingHours.end ?? data.workingHours.end,
            days: d.workingHours.days ?? data.workingHours.days,
            timezone: d.workingHours.timezone ?? data.timezone,
          }
        : undefined,
      memberIds: people.filter((p) => p.departmentId === d.id).map((p) => p.id),
    })),
    people,
    duty: data.duty.map((s) => ({ personId: s.person, days: s.days, from: s.from, to: s.to })),
    pool: data.pool,
    digest: data.digest,
    arbiterId: data.arbiter,
    visitors: data.visitors,
    calendar: data.calendar,
  };
}

export function loadOrgFile(file: string): OrgDirectory {
  return parseOrgText(readOrgFile(file), file);
}

function readOrgFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new OrgFileError(file, [`cannot be read: ${(e as Error).message}`]);
  }
}

/** The running org; reload() swaps it only when the new file is valid. */
export class OrgStore {
  private directory: OrgDirectory;
  private readonly listeners: Array<(d: OrgDirectory) => void> = [];

  constructor(
    readonly file: string,
    private readonly log: { info(o: object, m: string): void; error(o: object, m: string): void },
  ) {
    this.directory = parseOrgText(readOrgFile(file), file);
  }

  current(): OrgDirectory {
    return this.directory;
  }

  /** Returns true when the new file was taken (main.ts calls it on SIGHUP). */
  reload(): boolean {
    try {
      this.directory = parseOrgText(readOrgFile(this.file), this.file);
      this.log.info({ file: this.file, people: this.directory.people.length }, 'org file reloaded');
      for (const listener of this.listeners) listener(this.directory);
      return true;
    } catch (e) {
      this.log.error({ file: this.file, err: (e as Error).message }, 'org file edit refused; keeping the running org');
      return false;
    }
  }

  /** Called with each org taken by reload() (the back office records its people). */
  onReload(listener: (d: OrgDirectory) => void): void {
    this.listeners.push(listener);
  }

  /** Reload on file change (config/watch-file.ts). */
  watch(): () => void {
    return watchConfigFile(this.file, () => this.reload());
  }
}
