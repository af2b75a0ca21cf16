// The service catalog (YAML, KEHU_CATALOG_FILE; the documented example beside the org
// example when unset): parsed, validated with zod and against the org (a service naming a
// missing department or person is an error), turned into the core's Catalog. Every error
// names the file, the path inside it, the line, and what is wrong. CatalogStore keeps the
// running catalog and reloads it on change, keeping it on a bad edit — and on an edit that
// removes a service with open requests (the check is handed in: the database's).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readYaml, type YamlPath } from './yaml-document.ts';
import { z } from 'zod';
import { CATALOG_FIELD_KINDS, type Catalog, type CatalogService, type ReminderRecipient } from '../core/requests/catalog.ts';
import type { Department, OrgDirectory } from '../core/org/org.ts';
import { calendarWarnings, type WorkingDuration } from '../core/time/working-time.ts';
import { StartRefusal } from './start-refusal.ts';
import { watchConfigFile } from './watch-file.ts';

export const EXAMPLE_CATALOG_FILE = fileURLToPath(new URL('./examples/catalog.example.yaml', import.meta.url));

const ZTextsSchema = z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
const ZKeySchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes (at most 40)');

/** "4h", "30m", "2d": working hours, minutes or working days. */
const ZDurationSchema = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(m|h|d)$/, 'must be a working time like "4h", "30m" or "2d"')
  .transform((s): WorkingDuration => {
    const n = Number(s.slice(0, -1).trim());
    const unit = s.at(-1);
    return unit === 'd' ? { days: n } : { hours: unit === 'm' ? n / 60 : n };
  })
  .refine((d) => ('days' in d ? d.days : d.hours) > 0, 'must be more than zero');

const ZFieldSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'must be a letter then letters, digits or _ (at most 40)'),
  kind: z.enum(CATALOG_FIELD_KINDS),
  label: ZTextsSchema,
  required: z.boolean().default(false),
  hint: ZTextsSchema.optional(),
  maxLength: z.number().int().positive().max(2000).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  choices: z.array(z.strictObject({ value: z.string().min(1), label: ZTextsSchema })).min(1).optional(),
});

const RECIPIENT_ROLES = ['assignee', 'head', 'headManager', 'channel'] as const;
/** Who a reminder goes to: a role (assignee, head, headManager), the department's `channel`, or a person's id from the org file. */
const ZRecipientsSchema = z
  .array(z.string().min(1).transform((v): ReminderRecipient => ((RECIPIENT_ROLES as readonly string[]).includes(v) ? (v as (typeof RECIPIENT_ROLES)[number]) : { person: v })))
  .min(1, 'must name someone: assignee, head, headManager, channel or a person id');

const ZServiceSchema = z.strictObject({
  key: ZKeySchema,
  name: ZTextsSchema,
  department: z.string().min(1),
  fields: z.array(ZFieldSchema).default([]),
  prerequisites: z.array(ZTextsSchema).default([]),
  managerApproves: z.boolean().default(false),
  targets: z.strictObject({ firstResponse: ZDurationSchema, resolution: ZDurationSchema }),
  leadTimeDays: z.number().int().min(0).max(250),
  assign: z
    .union([z.literal('head'), z.literal('rotation'), z.strictObject({ person: z.string().min(1) })])
    .default('head'),
  reminders: z
    .strictObject({
      at: z.array(z.number().gt(0).lt(1)).default([0.5, 0.75]),
      repeatEvery: ZDurationSchema.default({ hours: 4 }),
      escalateAt: z.number().gt(1).max(10).default(2),
      to: z.strictObject({ before: ZRecipientsSchema.optional(), breach: ZRecipientsSchema.optional(), escalate: ZRecipientsSchema.optional() }).optional(),
    })
    .default({ at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2 }),
  closeAfter: ZDurationSchema.default({ days: 3 }),
  ratingWindow: ZDurationSchema.default({ days: 3 }),
  maxPause: ZDurationSchema.default({ days: 2 }),
});

export const ZCatalogFileSchema = z.strictObject({ services: z.array(ZServiceSchema).min(1) });
export type TCatalogFile = z.infer<typeof ZCatalogFileSchema>;

export class CatalogFileError extends StartRefusal {
  override name = 'CatalogFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid service catalog:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Path = YamlPath;

/** Parses catalog YAML text against the org; `file` is only used in messages. Throws CatalogFileError. */
export function parseCatalogText(text: string, file: string, directory: OrgDirectory): Catalog {
  const yaml = readYaml(text);
  const { syntaxErrors, where } = yaml;
  if (syntaxErrors.length > 0) throw new CatalogFileError(file, syntaxErrors);
  const parsed = ZCatalogFileSchema.safeParse(yaml.value);
  if (!parsed.success) throw new CatalogFileError(file, parsed.error.issues.map((i) => `${where(i.path as Path)}: ${i.message}`));
  const problems = catalogProblems(parsed.data, directory);
  if (problems.length) throw new CatalogFileError(file, problems.map((p) => `${where(p.path)}: ${p.message}`));
  return toCatalog(parsed.data);
}

/** What zod cannot see: the org's departments and people, duplicate keys and field names, choices. */
function catalogProblems(data: TCatalogFile, directory: OrgDirectory): { path: Path; message: string }[] {
  const problems: { path: Path; message: string }[] = [];
  const keys = new Set<string>();
  data.services.forEach((s, i) => {
    const at = (...rest: Path): Path => ['services', i, ...rest];
    if (keys.has(s.key)) problems.push({ path: at('key'), message: `"${s.key}" is the key of an earlier service` });
    keys.add(s.key);
    const department = directory.department(s.department);
    if (!department) problems.push({ path: at('department'), message: `"${s.department}" is not a department in the org file` });
    else if (department.kind !== 'function') problems.push({ path: at('department'), message: `"${s.department}" is a ${department.kind} department, not a functional one` });
    if (department?.kind !== 'function') {
      // The assignment cannot be judged against a department that is not there.
    } else if (typeof s.assign === 'object') {
      const person = directory.person(s.assign.person);
      if (!person) problems.push({ path: at('assign', 'person'), message: `"${s.assign.person}" is not a person in the org file` });
      else if (person.departmentId !== s.department && department.headId !== person.id) problems.push({ path: at('assign', 'person'), message: `"${s.assign.person}" is not a member of ${s.department}` });
    } else if (s.assign === 'head' && !department.headId) problems.push({ path: at('assign'), message: `${s.department} has no head in the org file: assign to a person or by rotation` });
    else if (s.assign === 'rotation' && department.memberIds.length === 0) problems.push({ path: at('assign'), message: `${s.department} has no members in the org file to rotate among` });
    if (department?.kind === 'function') problems.push(...recipientProblems(s.reminders.to, department, directory, at));
    const names = new Set<string>();
    s.fields.forEach((f, j) => {
      if (names.has(f.name)) problems.push({ path: at('fields', j, 'name'), message: `"${f.name}" is the name of an earlier field` });
      names.add(f.name);
      const choosing = f.kind === 'choice' || f.kind === 'multiChoice';
      if (choosing && !f.choices) problems.push({ path: at('fields', j), message: `a ${f.kind} field needs choices` });
      if (!choosing && f.choices) problems.push({ path: at('fields', j, 'choices'), message: `only choice fields have choices` });
    });
  });
  return problems;
}

/** A reminder's recipients the org cannot reach: a person not in it, a channel or a head the department lacks, a head without a manager. */
function recipientProblems(to: TCatalogFile['services'][number]['reminders']['to'], department: Department, directory: OrgDirectory, at: (...rest: Path) => Path): { path: Path; message: string }[] {
  const problems: { path: Path; message: string }[] = [];
  for (const threshold of ['before', 'breach', 'escalate'] as const) {
    to?.[threshold]?.forEach((r, k) => {
      const path = at('reminders', 'to', threshold, k);
      if (typeof r === 'object') {
        if (!directory.person(r.person)) problems.push({ path, message: `"${r.person}" is not a person in the org file (nor assignee, head, headManager or channel)` });
      } else if (r === 'channel' && !department.channel?.slack && !department.channel?.lark) problems.push({ path, message: `${department.id} has no channel in the org file` });
      else if ((r === 'head' || r === 'headManager') && !department.headId) problems.push({ path, message: `${department.id} has no head in the org file` });
      else if (r === 'headManager' && department.headId && !directory.manager(directory.person(department.headId)!)) problems.push({ path, message: `the head of ${department.id} has no manager in the org file` });
    });
  }
  return problems;
}

function toCatalog(data: TCatalogFile): Catalog {
  return {
    services: data.services.map(
      (s): CatalogService => ({
        key: s.key,
        name: s.name,
        departmentId: s.department,
        fields: s.fields,
        prerequisites: s.prerequisites,
        managerApproves: s.managerApproves,
        targets: s.targets,
        leadTimeDays: s.leadTimeDays,
        assign: s.assign === 'head' ? { rule: 'head' } : s.assign === 'rotation' ? { rule: 'rotation' } : { rule: 'person', person: s.assign.person },
        reminders: s.reminders,
        closeAfter: s.closeAfter,
        ratingWindow: s.ratingWindow,
        maxPause: s.maxPause,
      }),
    ),
  };
}

function readCatalogFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CatalogFileError(file, [`cannot be read: ${(e as Error).message}`]);
  }
}

export function loadCatalogFile(file: string, directory: OrgDirectory): Catalog {
  return parseCatalogText(readCatalogFile(file), file, directory);
}

/** Services of `running` an edit drops; `stillOpen` says which of them have open requests. */
export async function removedWithOpenRequests(running: Catalog, next: Catalog, stillOpen: (keys: string[]) => Promise<string[]>): Promise<string[]> {
  const removed = running.services.map((s) => s.key).filter((k) => !next.services.some((s) => s.key === k));
  return removed.length ? stillOpen(removed) : [];
}

interface CatalogLog {
  info(o: object, m: string): void;
  error(o: object, m: string): void;
}

/** The running catalog; reload() swaps it only when the new file is valid and drops no service with open requests. */
export class CatalogStore {
  private catalog: Catalog;

  constructor(
    readonly file: string,
    private readonly directory: () => OrgDirectory,
    private readonly log: CatalogLog,
    /** The keys among those given that have open requests (the requests repository's). */
    private readonly openServices: (keys: string[]) => Promise<string[]> = async () => [],
  ) {
    this.catalog = loadCatalogFile(file, directory());
  }

  /** At start-up: a running database whose open requests name services the file lacks is a start-up error. */
  async checkOpenRequests(knownKeys: (keys: string[]) => Promise<string[]>): Promise<void> {
    const missing = await knownKeys(this.catalog.services.map((s) => s.key));
    if (missing.length) throw new CatalogFileError(this.file, [`services: open requests name ${missing.map((k) => `"${k}"`).join(', ')}, which the catalog no longer has: put them back until those requests are closed`]);
  }

  current(): Catalog {
    return this.catalog;
  }

  /** Resolves true when the new file was taken. */
  async reload(): Promise<boolean> {
    try {
      const next = loadCatalogFile(this.file, this.directory());
      const blocked = await removedWithOpenRequests(this.catalog, next, this.openServices);
      if (blocked.length) throw new CatalogFileError(this.file, [`services: the edit removes ${blocked.map((k) => `"${k}"`).join(', ')}, which still ${blocked.length === 1 ? 'has' : 'have'} open requests`]);
      this.catalog = next;
      this.log.info({ file: this.file, services: next.services.length }, 'service catalog reloaded');
      return true;
    } catch (e) {
      this.log.error({ file: this.file, err: (e as Error).message }, 'service catalog edit refused; keeping the running catalog');
      return false;
    }
  }

  /** Reload on file change. */
  watch(): () => void {
    return watchConfigFile(this.file, () => void this.reload());
  }
}

interface StartLog extends CatalogLog {
  warn(o: object, m: string): void;
}

/**
 * The catalog kehu runs with: KEHU_CATALOG_FILE (invalid: a start-up error), else the
 * bundled example — or, when the example does not fit the org file, no services (a
 * warning). Warns when the holiday calendar has no data for the coming two months.
 */
export interface OpenRequestsCheck {
  /** The keys among those given that have open requests. */
  openServices: (keys: string[]) => Promise<string[]>;
  /** The service keys of open requests that are not among those given. */
  openServicesNotIn: (keys: string[]) => Promise<string[]>;
}

export async function openCatalog(file: string | undefined, directory: () => OrgDirectory, log: StartLog, now: Date, open?: OpenRequestsCheck): Promise<{ current: () => Catalog; stop: () => void }> {
  for (const warning of calendarWarnings(now, directory().org.timezone)) log.warn({}, warning);
  if (file) {
    const store = new CatalogStore(file, directory, log, open?.openServices);
    // A catalog that lost a service with open requests while kehu was down: refused at start.
    if (open) await store.checkOpenRequests(open.openServicesNotIn);
    return { current: () => store.current(), stop: store.watch() };
  }
  try {
    const store = new CatalogStore(EXAMPLE_CATALOG_FILE, directory, log);
    log.warn({ file: EXAMPLE_CATALOG_FILE }, 'KEHU_CATALOG_FILE is not set: using the bundled example catalog');
    return { current: () => store.current(), stop: () => {} };
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'KEHU_CATALOG_FILE is not set and the bundled example does not fit this org: no services to request');
    const empty: Catalog = { services: [] };
    return { current: () => empty, stop: () => {} };
  }
}
