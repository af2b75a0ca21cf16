// The soak (issue 16): a steady mix of every capability through nginx to N replicas
// (replica-rig.ts) while replicas are SIGTERMed and started again one after another (a rolling
// restart), then one is SIGKILLed and started again, then — on the rig's own cluster —
// PostgreSQL is stopped and started again, and the org file is changed under the load. Each
// virtual user runs scenarios one after another, in turn:
// - customers: three reps race to claim the same new company (one owner), the owner moves it
//   to 25%, a loser logs a follow-up (the owner is told), the front desk reports a visitor for
//   it with the owner as host, and the host presses "Coming now" on two visits in three (the
//   third escalates: the host again and the manager, then the head);
// - service requests: a rep asks the admin department for something (one line); on two in
//   three a member takes it from the department channel's card, resolves it, the requester
//   confirms and rates it; the third is left alone and its reminders, breach and escalation
//   go out at their working time.
// Beside them: one handover (a leaver's customers, one moved at once, one confirmed by the
// successor with a button) and the manager's digest on demand, twice. kehu's clock (every
// replica's, shifted-clock.cjs) starts on a Monday just before 09:00, so the 09:00 ticks
// (weekly digests, handover prompts, the request sweep) fall inside the soak: each recurring
// slot must be enqueued once between the replicas, and what it sends arrive once.
// At the end: every acked command answered exactly once, every keyed message (notices, visitor
// DMs, status and feed, escalations, request cards, reminders, handover prompts, digests)
// delivered exactly once and none lost, one owner per company, every command and button press
// applied once, no dead job; the ack p50/p99 while a replica was stopping or starting beside the
// p50/p99 of the rest, commands per second, the scheduled messages' lateness, the time the org
// change took to reach every replica, and each replica's RSS. Used by `npm run soak` (run.ts)
// and, short, by test/platforms/replicas-soak.test.ts. Loopback only.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../bench/bench-kit.ts';
import { randomCompany, seededRandom } from '../support/company-names.ts';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { withReplicaRig, type ReplicaRig } from '../support/replica-rig.ts';
import { blockActions, signSlack, slashCommand, type SlackRequest } from '../support/slack-requests.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

export interface SoakOptions {
  replicas: number;
  /** Load before the first restart (and the whole run when nothing is restarted), ms. */
  steadyMs: number;
  /** Replicas SIGTERMed and started again, in this order, one at a time. */
  restarts: number[];
  /** A replica SIGKILLed (then started again) after the restarts. */
  kill?: number;
  /** PostgreSQL stopped for this long, then started again, after the kill (the rig runs a cluster of its own). */
  pgOutageMs?: number;
  /** The org file changed after the restarts (a person added): every replica must take it, and the newcomer be answered. */
  orgChange?: boolean;
  /** Load after the restarts, the kill and the outage, ms. */
  tailMs: number;
  /** Scenarios running at once. */
  users: number;
  reps?: number;
  seed?: number;
  /** KEHU_JOB_LEASE_SECONDS for the replicas (how long the SIGKILLed replica's jobs wait). */
  jobLeaseSeconds?: number;
  log?: (line: string) => void;
}

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
}

export interface SoakReport {
  replicas: number;
  seconds: number;
  commands: number;
  /** Commands nginx answered 200 (kehu wrote them to its inbox and acked). */
  acked: number;
  /** Commands answered otherwise (a 502 for a request in flight to a SIGKILLed replica, a 503 while PostgreSQL was down), with their statuses. */
  notAcked: { id: string; status: number; kind: string; phase: Phase }[];
  commandsPerSecond: number;
  ackSteady: Percentiles;
  ackDuringRestarts: Percentiles;
  /** Acked commands with no answer on their response_url. */
  unanswered: string[];
  /** Acked commands answered more than once, the documented SIGKILL edge excluded. */
  answeredTwice: string[];
  /** Answered twice: handled by the SIGKILLed replica across the kill (README, Operations: response_url has no idempotency key). */
  repostedAcrossKill: string[];
  /** Unacked commands answered more than once (must be none). */
  unackedAnsweredTwice: string[];
  /** Keyed messages delivered, and the keys delivered more than once. */
  keyed: number;
  /** Keyed messages by what they are (visit, request, handover, digest, …). */
  keyedByKind: Record<string, number>;
  duplicateKeys: string[];
  /** Notices the queue recorded as sent that never arrived. */
  lostKeys: string[];
  companies: number;
  /** Companies with more than one customer row or claim. */
  ownerViolations: string[];
  /** Commands applied a different number of times than acked (stage changes, follow-ups, visits, presses, requests, ratings, the handover). */
  appliedWrong: string[];
  /** Service requests made, and those taken through to a rating. */
  requests: { made: number; rated: number; leftAlone: number; reminders: number };
  handover: { started: boolean; moved: number; prompts: number };
  digests: { onDemand: number; scheduled: number; charts: number };
  /** Recurring slots (name:period) that ran (one row each: the key is unique), the names whose 09:00 slot ran, and what is wrong (a 09:00 slot missing). */
  recurring: { slots: number; ticked: string[]; wrong: string[] };
  /** From the org file's change to the last replica's reload, ms; and the newcomer's commands answered as theirs. */
  orgChange?: { reachedAllMs: number; replicas: number; answered: number; of: number };
  /** While PostgreSQL was down: each replica's /healthz status seen (503 expected), and after (200); the soak's own scenarios it cut short. */
  pgOutage?: { down: number[]; after: number[]; interrupted: number };
  deadJobs: number;
  /** visitor.check jobs: done − due, ms. */
  escalationLateness: Percentiles;
  /** Scheduled messages other than the escalation checks (request sweeps, recurring slots, digests): done − due, ms. */
  scheduledLateness: Percentiles;
  rss: { replica: number; startMb: number; endMb: number; runs: number }[];
  pgConnectionsEnd: number;
}

/** What the replicas were doing when a command was sent or answered: 'sigkill' wins over 'pgdown' over 'sigterm' over 'steady'. */
export type Phase = 'steady' | 'sigterm' | 'sigkill' | 'pgdown';
const PHASE_ORDER: Phase[] = ['sigkill', 'pgdown', 'sigterm', 'steady'];

type Kind = 'claim' | 'stage' | 'log' | 'visitor' | 'press' | 'request' | 'rate' | 'handover' | 'digest' | 'whoami';

interface Sent {
  id: string;
  kind: Kind;
  company: string;
  status: number;
  ms: number;
  sentAt: number;
  phase: Phase;
}

const FEED = 'C0SOAKFEED';
const ADMIN_CHANNEL = 'C0SOAKADMN';
const DESK = 'U0SOAKDESK';
const BOSS = 'U0SOAKBOSS';
const ADMIN_HEAD = 'U0SOAKAHEAD';
const ADMINS = ['U0SOAKADM0', 'U0SOAKADM1'];
const NEWCOMER = 'U0SOAKNEW';
const repId = (i: number) => `r${String(i).padStart(2, '0')}`;
const repSlack = (i: number) => `U0SOAKR${String(i).padStart(2, '0')}`;

/**
 * Monday 2026-12-07 08:59:50 in Shanghai: kehu's clock when the rig starts (every replica the
 * same, shifted-clock.cjs), 10 s before the 09:00 ticks and the start of the working day.
 */
const KEHU_START = Date.parse('2026-12-07T00:59:50Z');
const NINE = Date.parse('2026-12-07T01:00:00Z');
const LAST_DAY = '2026-12-11';

/**
 * The soak's org: a head (the reps' manager), reps under them (the last one leaves: the
 * handover), the front desk with its feed, an admin department with two members in rotation and
 * a channel, a 3-second escalation ladder of two steps, digests on Mondays at 09:00. With
 * `newcomer`, one more rep (the org change under the load).
 */
export function soakOrgText(reps: number, newcomer = false): string {
  return [
    'company: Soak',
    'locale: zh-CN',
    'timezone: Asia/Shanghai',
    'digest: { day: mon, time: "09:00" }',
    'departments:',
    '  - { id: sales, name: 销售部, kind: sales, head: boss }',
    `  - { id: reception, name: 前台, kind: front-desk, members: [desk], channel: { slack: ${FEED} } }`,
    `  - { id: admin, name: 行政部, kind: function, head: ahead, members: [adm0, adm1], channel: { slack: ${ADMIN_CHANNEL} } }`,
    'people:',
    `  - { id: boss, name: 老板, email: boss@soak.test, slack: ${BOSS}, department: sales, roles: [manager] }`,
    `  - { id: desk, name: 前台小李, email: desk@soak.test, slack: ${DESK}, roles: [front-desk] }`,
    `  - { id: ahead, name: 行政主管, email: ahead@soak.test, slack: ${ADMIN_HEAD}, department: admin, manager: boss }`,
    ...ADMINS.map((slack, i) => `  - { id: adm${i}, name: 行政${i}, email: adm${i}@soak.test, slack: ${slack}, department: admin, manager: ahead }`),
    ...Array.from({ length: reps }, (_, i) => `  - { id: ${repId(i)}, name: 销售${i}, email: ${repId(i)}@soak.test, slack: ${repSlack(i)}, department: sales, manager: boss, roles: [rep] }`),
    ...(newcomer ? [`  - { id: newbie, name: 新同事, email: newbie@soak.test, slack: ${NEWCOMER}, department: sales, manager: boss, roles: [rep] }`] : []),
    'visitors:',
    '  escalation: { workingMinutes: 0.05, outsideMinutes: 0.05, maxSteps: 2 }',
    '  salesDepartment: sales',
    '',
  ].join('\n');
}

/** The soak's catalog: one service of the admin department, a one-line form, targets of seconds so that reminders, the breach and the escalation fall inside the soak. */
const CATALOG = [
  'services:',
  '  - key: supplies',
  '    name: { en: Office supplies, zh-CN: 办公用品 }',
  '    department: admin',
  '    fields:',
  '      - { name: note, kind: text, label: { en: What, zh-CN: 物品 }, required: true }',
  '    targets: { firstResponse: 0.1m, resolution: 0.2m }',
  '    leadTimeDays: 0',
  '    assign: rotation',
  '',
].join('\n');

/** The org file at its path (a fresh folder: the replicas watch it), and the catalog beside it. */
export function soakOrgFile(reps: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-soak-'));
  writeFileSync(join(dir, 'catalog.yaml'), CATALOG);
  const file = join(dir, 'org.yaml');
  writeFileSync(file, soakOrgText(reps));
  return file;
}

const stats = (samples: number[]): Percentiles => ({ n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) });

type Block = { type?: string; elements?: { action_id?: string; value?: string }[] };
type Button = { action_id: string; value: string };
const textOf = (m: { text?: unknown; blocks?: unknown }) => `${String(m.text ?? '')}\n${JSON.stringify(m.blocks ?? [])}`;
/** The button of `act` (its value carries "act":"…", or its action is `….act`: `kehu:handover.start:0`) in a message or a response. */
function buttonOf(m: { blocks?: unknown }, act: string): Button | undefined {
  const elements = ((m.blocks ?? []) as Block[]).flatMap((b) => b.elements ?? []);
  const named = (id: string) => id.replace(/:\d+$/u, '').endsWith(`.${act}`);
  const e = elements.find((x) => x.action_id?.startsWith('kehu:') && (x.value?.includes(`"act":"${act}"`) || named(x.action_id)));
  return e?.action_id && e.value ? { action_id: e.action_id, value: e.value } : undefined;
}
/** What a keyed message is, for the report: the first part of its key (visit, request, handover, digest …). */
const keyKind = (key: string) => key.split(/[:.]/u)[0] ?? key;

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const reps = o.reps ?? 12;
  const log = o.log ?? (() => undefined);
  // The last rep leaves (the handover); they take no part in the races.
  const leaver = reps - 1;
  const racing = reps - 1;
  const orgFile = soakOrgFile(reps);
  const offset = KEHU_START - Date.now();
  const kehuNow = () => Date.now() + offset;
  const env: Record<string, string> = {
    KEHU_ORG_FILE: orgFile,
    KEHU_CATALOG_FILE: join(orgFile, '..', 'catalog.yaml'),
    KEHU_JOB_LEASE_SECONDS: String(o.jobLeaseSeconds ?? 30),
  };
  return withReplicaRig({ replicas: o.replicas, postgres: o.pgOutageMs ? 'own' : 'shared', env, clockOffsetMs: offset }, async (rig) => {
    log(`[soak] ${o.replicas} replica(s) up behind nginx ${rig.url}`);
    const random = seededRandom(o.seed ?? 16);
    const sent: Sent[] = [];
    const pressed = new Map<string, number>();
    let now: Phase = 'steady';
    let killAt: number | undefined;
    let stopping = false;
    const usedKeys = new Set<string>();
    const nextCompany = () => {
      for (;;) {
        const c = randomCompany(random);
        // Chinese names only: a command takes a company name without quotes when it has no spaces.
        if (!usedKeys.has(c.nameKey) && !c.name.includes(' ') && c.nameKey.length >= 6) {
          usedKeys.add(c.nameKey);
          return c.name;
        }
      }
    };
    const companies: string[] = [];

    const post = async (req: SlackRequest, kind: Kind, company: string, id: string): Promise<Sent> => {
      const sentAt = Date.now();
      const atStart = now;
      let status = 0;
      try {
        // Signed at kehu's time: Bolt checks the timestamp against the replica's clock.
        const headers = { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body, Math.floor(kehuNow() / 1000)) };
        const res = await fetch(`${rig.url}/slack/events`, { method: 'POST', body: req.body, headers });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = -1;
      }
      const phases: Phase[] = [atStart, now];
      const phase = PHASE_ORDER.find((p) => phases.includes(p))!;
      const s: Sent = { id, kind, company, status, ms: Date.now() - sentAt, sentAt, phase };
      sent.push(s);
      // Refused (a 503 while PostgreSQL is down): a person tries again after a moment, not at once.
      if (status !== 200) await sleep(500);
      return s;
    };
    const command = (user: string, text: string, kind: Kind, company: string) => {
      const id = randomUUID();
      return post(slashCommand({ userId: user, text, responseUrl: rig.fake.responseUrl(id) }), kind, company, id);
    };
    const press = (user: string, button: Button, company: string) => {
      const id = randomUUID();
      return post(blockActions({ userId: user, actionId: button.action_id, value: JSON.parse(button.value) as Record<string, string>, responseUrl: rig.fake.responseUrl(id) }), 'press', company, id);
    };
    /** The answer on the response_url of an acked command (undefined when it was not acked). */
    const answer = async (s: Sent) =>
      s.status === 200 ? (await rig.fake.waitForResponse((r) => r.id === s.id, { what: `the answer to a ${s.kind} of ${s.company}`, timeoutMs: 60_000, intervalMs: 50 })).body : undefined;
    const answered = async (s: Sent) => (await answer(s)) !== undefined;
    /** A button of `act` on a message in `place` that mentions `has`, once it is there. */
    const waitButton = (place: string, has: RegExp, act: string, what: string) =>
      waitFor(() => [...rig.fake.messagesIn(place)].reverse().filter((m) => has.test(textOf(m))).map((m) => buttonOf(m, act)).find(Boolean), { what, timeoutMs: 60_000, intervalMs: 100 });

    const customerScenario = async (n: number) => {
      const company = nextCompany();
      companies.push(company);
      const racers = new Set<number>();
      while (racers.size < 3) racers.add(Math.floor(random() * racing));
      const claims = await Promise.all([...racers].map((r) => command(repSlack(r), `claim ${company}`, 'claim', company)));
      await Promise.all(claims.map(answered));
      const customer = await rig.db.prisma.customer.findFirst({ where: { name: company }, select: { id: true, ownerId: true } });
      if (!customer?.ownerId) return; // "Did you mean": close to an earlier company, nobody claimed it
      const owner = Number(customer.ownerId.slice(1));
      const other = [...racers].find((r) => r !== owner) ?? (owner + 1) % racing;
      await answered(await command(repSlack(owner), `stage ${company} 25 contact:张三 phone:1380013${String(n % 10_000).padStart(4, '0')}`, 'stage', company));
      await answered(await command(repSlack(other), `log ${company} call 电话沟通 ${n}`, 'log', company));
      const report = await command(DESK, `visitor ${company} name:访客${n} host:${customer.ownerId}`, 'visitor', company);
      if (!(await answered(report)) || n % 3 === 2) return;
      // The host presses "Coming now" on the DM (its buttons carry the visit).
      const visit = await waitFor(() => rig.db.prisma.visit.findFirst({ where: { company }, select: { id: true } }), { what: `the visit of ${company}`, timeoutMs: 30_000, intervalMs: 50 });
      const dm = await waitFor(() => rig.fake.messagesIn(repSlack(owner)).find((m) => m.metadata?.event_payload?.key === `visit:${visit.id}:host:v1`), { what: `the host's DM for ${company}`, timeoutMs: 45_000, intervalMs: 50 });
      const button = buttonOf(dm, 'coming');
      if (!button) throw new Error(`no "Coming now" button in the DM for ${company}`);
      const p = await press(repSlack(owner), button, company);
      if (await answered(p)) pressed.set(company, (pressed.get(company) ?? 0) + 1);
    };

    // Service requests: marker → what was done to it.
    const requestsMade = new Map<string, { requester: string; number?: number; rated: boolean; alone: boolean }>();
    const requestScenario = async (n: number) => {
      const marker = `soak-${n}-${randomUUID().slice(0, 6)}`;
      const requester = repSlack(Math.floor(random() * racing));
      const s = await command(requester, `request supplies note:${marker}`, 'request', marker);
      const body = await answer(s);
      if (!body) return;
      const number = Number(/#(\d+)/u.exec(textOf(body))?.[1]);
      const alone = n % 3 === 2;
      requestsMade.set(marker, { requester, number, rated: false, alone });
      if (!number || alone) return;
      const mention = new RegExp(`#${number}(?!\\d)`, 'u');
      const row = await waitFor(() => rig.db.prisma.serviceRequest.findUnique({ where: { number }, select: { assigneeId: true } }), { what: `request #${number}`, timeoutMs: 30_000 });
      const member = ADMINS[Number(row.assigneeId?.slice(3) ?? 0)] ?? ADMINS[0]!;
      // Taken from the department channel's card by its assignee, then resolved from the taker's DM.
      const take = await waitButton(ADMIN_CHANNEL, mention, 'take', `the channel card of #${number}`);
      const taken = await answer(await press(member, take, marker));
      const resolve = (taken && buttonOf(taken, 'resolve')) || (await waitButton(member, mention, 'resolve', `a "Resolved" button for #${number}`));
      if (!(await answered(await press(member, resolve, marker)))) return;
      // The requester's status message now asks to confirm.
      const confirm = await waitButton(requester, mention, 'confirm', `the requester's "Confirm and close" for #${number}`);
      if (!(await answered(await press(requester, confirm, marker)))) return;
      if (await answered(await command(requester, `rate ${number} 5 很快`, 'rate', marker))) requestsMade.get(marker)!.rated = true;
    };

    // The handover: the leaver's two customers (one at 0%: moved at once; one at 25%: the successor confirms it).
    const successor = repSlack(0);
    const handover = { started: false, confirmed: false, planAnswered: false };
    const handoverScenario = async () => {
      // Generated names may be close to an earlier one ("Did you mean"): the next one then.
      const claimed = async () => {
        for (;;) {
          const company = nextCompany();
          companies.push(company);
          await answered(await command(repSlack(leaver), `claim ${company}`, 'claim', company));
          if (await rig.db.prisma.customer.count({ where: { name: company, ownerId: repId(leaver) } })) return company;
        }
      };
      await claimed();
      const called = await claimed();
      await answered(await command(repSlack(leaver), `stage ${called} 25 contact:王总 phone:13800000000`, 'stage', called));
      const plan = await answer(await command(BOSS, `handover ${repId(leaver)} to ${repId(0)} last-day ${LAST_DAY}`, 'handover', repId(leaver)));
      const start = plan && buttonOf(plan, 'start');
      if (!start) throw new Error(`no "Start the handover" button in ${plan ? textOf(plan) : 'no answer'}`);
      handover.planAnswered = true;
      handover.started = await answered(await press(BOSS, start, repId(leaver)));
      // A call handover needs the leaver's note first; then the successor confirms it.
      await answered(await command(repSlack(leaver), `handover note ${called} 王总拍板，答应一月演示`, 'handover', repId(leaver)));
      const status = await answer(await command(successor, 'handover status', 'handover', repId(leaver)));
      const confirm = status && buttonOf(status, 'confirm');
      if (!confirm) throw new Error(`no "Confirm" button in the successor's handover status: ${status ? textOf(status) : 'no answer'}`);
      handover.confirmed = await answered(await press(successor, confirm, called));
    };

    const digestsAsked: Sent[] = [];
    const digestOnDemand = async () => {
      const s = await command(BOSS, 'digest', 'digest', 'digest');
      digestsAsked.push(s);
      await answered(s);
    };

    const health = async (port: number) => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) })).status;
      } catch {
        return -1;
      }
    };

    const started = Date.now();
    let scenarios = 0;
    // While PostgreSQL is down the soak's own reads fail too: a scenario it cut short is counted, not a failure.
    const outages: { from: number; to?: number }[] = [];
    let interrupted = 0;
    const user = async () => {
      while (!stopping) {
        const n = scenarios++;
        const from = Date.now();
        try {
          await (n % 2 === 0 ? customerScenario(n) : requestScenario(n));
        } catch (e) {
          if (!outages.some((w) => (w.to ?? Infinity) >= from)) throw e;
          interrupted++;
          log(`[soak] a scenario cut short by the outage: ${(e as Error).message.slice(0, 200)}`);
        }
      }
    };
    const users = Array.from({ length: o.users }, user);
    let orgChange: SoakReport['orgChange'];
    let pgOutage: SoakReport['pgOutage'];
    const lifecycle = (async () => {
      await handoverScenario();
      await digestOnDemand();
      await sleep(Math.max(0, o.steadyMs - (Date.now() - started)));
      for (const i of o.restarts) {
        now = 'sigterm';
        const t = Date.now();
        await rig.restart(i).finally(() => (now = 'steady'));
        log(`[soak] replica ${i}: SIGTERM, exit 0, started again (${Date.now() - t} ms)`);
      }
      if (o.orgChange) {
        // Every replica reads its own copy: here one file for all, changed in place as a deploy tool would.
        const changedAt = Date.now();
        const reloads = () => rig.replicas.map((r) => r.p?.lines().filter((l) => l.msg === 'org file reloaded').length ?? 0);
        const before = reloads();
        writeFileSync(orgFile, soakOrgText(reps, true));
        await waitFor(() => reloads().every((n, i) => n > before[i]!), { what: 'every replica reloaded the org file', timeoutMs: 15_000, intervalMs: 20 });
        const reachedAllMs = Date.now() - changedAt;
        const asks = await Promise.all(Array.from({ length: 2 * o.replicas }, () => command(NEWCOMER, 'whoami', 'whoami', 'newcomer')));
        const bodies = await Promise.all(asks.map(answer));
        orgChange = { reachedAllMs, replicas: o.replicas, answered: bodies.filter((b) => b && textOf(b).includes('newbie@soak.test')).length, of: asks.length };
        log(`[soak] org file changed: every replica had it in ${reachedAllMs} ms; the newcomer answered as such ${orgChange.answered}/${orgChange.of}`);
      }
      if (o.kill !== undefined) {
        now = 'sigkill';
        killAt = Date.now();
        await rig.kill(o.kill);
        await rig.start(o.kill).finally(() => (now = 'steady'));
        log(`[soak] replica ${o.kill}: SIGKILL, started again (${Date.now() - killAt} ms)`);
      }
      if (o.pgOutageMs) {
        const ports = rig.replicas.map((r) => r.port);
        now = 'pgdown';
        const outage: { from: number; to?: number } = { from: Date.now() };
        outages.push(outage);
        rig.pg!.halt();
        const down = await Promise.all(ports.map((port) => waitFor(async () => { const s = await health(port); return s === 503 && s; }, { what: `replica on ${port}: 503 while PostgreSQL is down`, timeoutMs: 15_000, intervalMs: 100 }).catch(() => -1)));
        await sleep(Math.max(0, o.pgOutageMs - 1_000));
        await rig.pg!.start();
        const after = await Promise.all(ports.map((port) => waitFor(async () => { const s = await health(port); return s === 200 && s; }, { what: `replica on ${port}: 200 once PostgreSQL is back`, timeoutMs: 30_000, intervalMs: 100 }).catch(() => -1)));
        now = 'steady';
        // The soak's reads of a scenario begun before it may fail a little later still.
        outage.to = Date.now() + 5_000;
        pgOutage = { down, after, interrupted: 0 };
        log(`[soak] PostgreSQL stopped and started again: /healthz ${down.join(',')} while down, ${after.join(',')} after`);
      }
      await sleep(o.tailMs);
      await digestOnDemand();
      stopping = true;
    })();
    await Promise.all([lifecycle, ...users]);
    const loadEnd = Date.now();

    // The 09:00 slots must have come, and each request left alone must have had its first
    // response escalated (the head's manager at twice the target): wait for kehu's clock.
    const alone = await rig.db.prisma.serviceRequest.findMany({ where: { number: { in: [...requestsMade.values()].filter((r) => r.alone && r.number).map((r) => r.number!) } }, select: { clockStart: true, firstResponseDue: true } });
    const escalated = Math.max(NINE, ...alone.map((r) => 2 * r.firstResponseDue.getTime() - r.clockStart.getTime()));
    await sleep(Math.max(0, escalated + 2_000 - kehuNow()));
    // The queue drains: everything due has run (reminders due later, the next recurring slots, stay pending).
    const due = () => ({ status: { in: ['pending', 'running'] }, runAt: { lte: new Date(kehuNow()) } });
    await waitFor(async () => (await rig.db.prisma.job.count({ where: due() })) === 0, { what: 'the queue drained', timeoutMs: 90_000, intervalMs: 200 }).catch(async (e: Error) => {
      const left = await rig.db.prisma.job.findMany({ where: due(), select: { kind: true, status: true, runAt: true, attempts: true, lastError: true, idempotencyKey: true }, take: 10 });
      throw new Error(`${e.message}; still open: ${JSON.stringify(left)}`);
    });
    if (pgOutage) pgOutage.interrupted = interrupted;
    return report(rig, { o, sent, pressed, companies, requestsMade, handover, digestsAsked, killAt, started, loadEnd, reps, orgChange, pgOutage });
  });
}

interface Observed {
  o: SoakOptions;
  sent: Sent[];
  pressed: Map<string, number>;
  companies: string[];
  requestsMade: Map<string, { requester: string; number?: number; rated: boolean; alone: boolean }>;
  handover: { started: boolean; confirmed: boolean; planAnswered: boolean };
  digestsAsked: Sent[];
  killAt?: number;
  started: number;
  loadEnd: number;
  reps: number;
  orgChange?: SoakReport['orgChange'];
  pgOutage?: SoakReport['pgOutage'];
}

/** The checks and figures, from what the fake Slack saw and what the database holds. */
async function report(rig: ReplicaRig, x: Observed): Promise<SoakReport> {
  const { sent, companies, killAt } = x;
  const prisma = rig.db.prisma;
  const acked = sent.filter((s) => s.status === 200);
  const answers = new Map<string, number[]>();
  for (const r of rig.fake.responses) answers.set(r.id, [...(answers.get(r.id) ?? []), r.at]);
  const unanswered = acked.filter((s) => !answers.has(s.id)).map((s) => `${s.kind} ${s.company}`);
  const twice = acked.filter((s) => (answers.get(s.id)?.length ?? 0) > 1);
  const acrossKill = (s: Sent) => killAt !== undefined && s.sentAt <= killAt && answers.get(s.id)!.at(-1)! >= killAt;

  const places = [BOSS, DESK, FEED, ADMIN_CHANNEL, ADMIN_HEAD, NEWCOMER, ...ADMINS, ...Array.from({ length: x.reps }, (_, i) => repSlack(i))];
  const counts = rig.keyCounts(places, () => true);
  const sentJobs = await prisma.job.findMany({ where: { kind: { in: ['notify.person', 'notify.channel'] }, status: 'done' }, select: { idempotencyKey: true } });
  const doneJobs = await prisma.job.findMany({ where: { status: 'done', NOT: { kind: { startsWith: 'inbox.' } } }, select: { kind: true, runAt: true, updatedAt: true, idempotencyKey: true } });
  // Slots from before the soak (made up at start-up, a day late by design) are not lateness.
  const lateness = (keep: (j: (typeof doneJobs)[number]) => boolean) => stats(doneJobs.filter((j) => j.runAt.getTime() >= KEHU_START && keep(j)).map((j) => j.updatedAt.getTime() - j.runAt.getTime()));

  const ownerViolations: string[] = [];
  const appliedWrong: string[] = [];
  const ackedOf = (company: string, kind: Kind) => acked.filter((s) => s.company === company && s.kind === kind).length;
  for (const company of companies) {
    const rows = await prisma.customer.findMany({ where: { name: company }, select: { id: true } });
    if (rows.length > 1) ownerViolations.push(`${company}: ${rows.length} customers`);
    const row = rows[0];
    if (!row) continue;
    const claimsMade = await prisma.ownershipEvent.count({ where: { customerId: row.id, kind: 'claim' } });
    if (claimsMade !== 1) ownerViolations.push(`${company}: ${claimsMade} claims`);
    const expect = (what: string, got: number, want: number) => got !== want && appliedWrong.push(`${company}: ${what} ${got}, acked ${want}`);
    expect('stage changes', await prisma.stageChange.count({ where: { customerId: row.id } }), ackedOf(company, 'stage'));
    expect('call follow-ups', await prisma.followUp.count({ where: { customerId: row.id, kind: 'call' } }), ackedOf(company, 'log'));
    const visits = await prisma.visit.count({ where: { company } });
    if (visits !== ackedOf(company, 'visitor')) {
      const said = acked.filter((s) => s.company === company && s.kind === 'visitor').map((s) => JSON.stringify(rig.fake.responses.find((r) => r.id === s.id)?.body.text));
      appliedWrong.push(`${company}: visits ${visits}, acked ${ackedOf(company, 'visitor')} (answered ${said.join('; ')})`);
    }
    const taken = await prisma.visit.count({ where: { company, takenById: { not: null } } });
    expect('hosted-visit follow-ups', await prisma.followUp.count({ where: { customerId: row.id, kind: 'visit' } }), taken);
    if (taken !== (x.pressed.get(company) ?? 0)) appliedWrong.push(`${company}: ${taken} visits taken, ${x.pressed.get(company) ?? 0} "Coming now" acked`);
  }

  // Requests: one per acked submission (found by its marker); those taken through: closed and rated once.
  const requestRows = await prisma.serviceRequest.findMany({ select: { number: true, fields: true, status: true, rating: true } });
  let rated = 0;
  for (const [marker, made] of x.requestsMade) {
    const rows = requestRows.filter((r) => r.fields.includes(marker));
    if (rows.length !== 1) appliedWrong.push(`request ${marker}: ${rows.length} requests for one acked submission`);
    const row = rows[0];
    if (!row) continue;
    if (made.rated) {
      rated++;
      if (row.status !== 'closed' || row.rating !== 5) appliedWrong.push(`request #${row.number}: ${row.status}, rating ${row.rating} after confirm and rate`);
    }
  }
  if (requestRows.length !== x.requestsMade.size) appliedWrong.push(`${requestRows.length} requests in the database, ${x.requestsMade.size} submissions acked`);

  // The handover: one, started once; the confirmed item moved once.
  const handovers = await prisma.handover.count();
  if (x.handover.planAnswered && handovers !== 1) appliedWrong.push(`${handovers} handovers for one started`);
  const moved = await prisma.ownershipEvent.count({ where: { kind: 'handover' } });
  const wantMoved = (x.handover.started ? 1 : 0) + (x.handover.confirmed ? 1 : 0);
  if (moved !== wantMoved) appliedWrong.push(`${moved} customers handed over, ${wantMoved} expected (one at once, one confirmed)`);

  // Recurring slots: each name:period enqueued once between the replicas (the key is unique) and run once.
  const recurringJobs = doneJobs.filter((j) => /^[a-z-]+:\d{4}-\d\d-\d\dT\d\d:\d\d$/u.test(j.idempotencyKey ?? ''));
  const recurringWrong: string[] = [];
  const ticked = recurringJobs.filter((j) => j.runAt.getTime() === NINE).map((j) => j.idempotencyKey!.split(':')[0]!);
  for (const name of ['digest-schedule', 'request-sweep', 'handover-morning', 'handover-leavers']) if (!ticked.includes(name)) recurringWrong.push(`${name}: no 09:00 slot ran`);

  const keyedByKind: Record<string, number> = {};
  for (const key of counts.keys()) keyedByKind[keyKind(key)] = (keyedByKind[keyKind(key)] ?? 0) + 1;
  const digestKeys = [...counts.keys()].filter((k) => k.startsWith('digest:'));
  const reminderKeys = [...counts.keys()].filter((k) => /^request:[^:]+:alert:/u.test(k));
  const rss = rig.replicas.map((r) => ({ replica: r.index, startMb: r.rssStartMb ?? Number.NaN, endMb: rig.rss(r.index), runs: r.runs.length }));
  const connections = [...(await rig.pgConnections()).values()].reduce((a, b) => a + b, 0);
  const seconds = (x.loadEnd - x.started) / 1000;
  return {
    replicas: x.o.replicas,
    seconds,
    commands: sent.length,
    acked: acked.length,
    notAcked: sent.filter((s) => s.status !== 200).map((s) => ({ id: s.id, status: s.status, kind: s.kind, phase: s.phase })),
    commandsPerSecond: sent.length / seconds,
    ackSteady: stats(acked.filter((s) => s.phase === 'steady').map((s) => s.ms)),
    ackDuringRestarts: stats(acked.filter((s) => s.phase !== 'steady').map((s) => s.ms)),
    unanswered,
    answeredTwice: twice.filter((s) => !acrossKill(s)).map((s) => `${s.kind} ${s.company}`),
    repostedAcrossKill: twice.filter(acrossKill).map((s) => `${s.kind} ${s.company}`),
    unackedAnsweredTwice: sent.filter((s) => s.status !== 200 && (answers.get(s.id)?.length ?? 0) > 1).map((s) => `${s.kind} ${s.company}`),
    keyed: counts.size,
    keyedByKind,
    duplicateKeys: [...counts].filter(([, n]) => n !== 1).map(([k, n]) => `${k} ×${n}`),
    lostKeys: sentJobs.map((j) => j.idempotencyKey).filter((k) => !counts.has(k)),
    companies: companies.length,
    ownerViolations,
    appliedWrong,
    requests: { made: x.requestsMade.size, rated, leftAlone: [...x.requestsMade.values()].filter((r) => r.alone).length, reminders: reminderKeys.length },
    handover: { started: x.handover.started, moved, prompts: [...counts.keys()].filter((k) => k.startsWith('handover')).length },
    digests: { onDemand: x.digestsAsked.filter((s) => answers.has(s.id)).length, scheduled: digestKeys.length, charts: rig.fake.files.length },
    recurring: { slots: recurringJobs.length, ticked, wrong: recurringWrong },
    orgChange: x.orgChange,
    pgOutage: x.pgOutage,
    deadJobs: await prisma.job.count({ where: { status: 'dead' } }),
    escalationLateness: lateness((j) => j.kind === 'visitor.check'),
    scheduledLateness: lateness((j) => j.kind !== 'visitor.check' && !j.kind.startsWith('notify.') && j.kind !== 'message.update'),
    rss,
    pgConnectionsEnd: connections,
  };
}

const ms = (p: Percentiles) => (p.n ? `p50 ${p.p50.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms (n ${p.n})` : 'no samples');

/** The figures, one per line. */
export function formatSoak(r: SoakReport): string {
  const kinds = Object.entries(r.keyedByKind).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `[soak] ${r.replicas} replica(s): ${r.commands} commands in ${r.seconds.toFixed(1)} s = ${r.commandsPerSecond.toFixed(1)} commands/s, ${r.acked} acked, ${r.notAcked.length} not acked (${r.notAcked.map((s) => `${s.kind} ${s.status} during ${s.phase}`).join(', ') || 'none'})`,
    `[soak]   ack without restarts: ${ms(r.ackSteady)}`,
    `[soak]   ack while a replica stopped/started or PostgreSQL was down: ${ms(r.ackDuringRestarts)}`,
    `[soak]   lateness (done − due): escalation checks ${ms(r.escalationLateness)}; other scheduled jobs (request sweeps, recurring slots, digests) ${ms(r.scheduledLateness)}`,
    `[soak]   duplicates: ${r.answeredTwice.length} answers, ${r.duplicateKeys.length} keyed messages (${r.keyed} delivered: ${kinds}); reposted across the SIGKILL (documented edge): ${r.repostedAcrossKill.length}`,
    `[soak]   losses: ${r.unanswered.length} unanswered, ${r.lostKeys.length} keyed messages; dead jobs ${r.deadJobs}`,
    `[soak]   ${r.companies} companies: owner violations ${r.ownerViolations.length}, applied ≠ acked ${r.appliedWrong.length}`,
    `[soak]   requests: ${r.requests.made} made, ${r.requests.rated} taken, resolved, confirmed and rated, ${r.requests.leftAlone} left alone (${r.requests.reminders} reminders and escalations delivered)`,
    `[soak]   handover: ${r.handover.started ? 'started' : 'NOT started'}, ${r.handover.moved} customers moved, ${r.handover.prompts} handover messages; digests: ${r.digests.onDemand} on demand, ${r.digests.scheduled} scheduled, ${r.digests.charts} charts uploaded`,
    `[soak]   recurring slots: ${r.recurring.slots} ran, the 09:00 ones: ${r.recurring.ticked.join(', ') || 'none'}`,
    ...(r.orgChange ? [`[soak]   org file changed: every replica had it ${r.orgChange.reachedAllMs} ms later; the newcomer answered as such ${r.orgChange.answered}/${r.orgChange.of}`] : []),
    ...(r.pgOutage ? [`[soak]   PostgreSQL down: /healthz ${r.pgOutage.down.join(', ')} (each replica), then ${r.pgOutage.after.join(', ')}; soak scenarios it cut short ${r.pgOutage.interrupted}`] : []),
    `[soak]   RSS per replica (start → end, MB): ${r.rss.map((x) => `#${x.replica} ${x.startMb.toFixed(0)} → ${x.endMb.toFixed(0)}${x.runs > 1 ? ` (process ${x.runs})` : ''}`).join(', ')}; database connections at the end ${r.pgConnectionsEnd}`,
  ].join('\n');
}

/** What broke an exactly-once or uniqueness rule, one line each (none: the soak passed). */
export function soakFailures(r: SoakReport): string[] {
  const f: string[] = [];
  if (r.unanswered.length) f.push(`unanswered: ${r.unanswered.join(', ')}`);
  if (r.answeredTwice.length) f.push(`answered twice: ${r.answeredTwice.join(', ')}`);
  if (r.unackedAnsweredTwice.length) f.push(`unacked, answered twice: ${r.unackedAnsweredTwice.join(', ')}`);
  if (r.duplicateKeys.length) f.push(`keyed messages delivered more than once: ${r.duplicateKeys.join(', ')}`);
  if (r.lostKeys.length) f.push(`keyed messages lost: ${r.lostKeys.join(', ')}`);
  if (r.ownerViolations.length) f.push(`owners: ${r.ownerViolations.join(', ')}`);
  if (r.appliedWrong.length) f.push(`applied ≠ acked: ${r.appliedWrong.join(', ')}`);
  if (r.deadJobs) f.push(`${r.deadJobs} dead jobs`);
  if (r.recurring.wrong.length) f.push(`recurring: ${r.recurring.wrong.join(', ')}`);
  if (!r.handover.started) f.push('the handover did not start');
  if (r.digests.scheduled === 0) f.push('no scheduled digest arrived');
  if (r.orgChange && r.orgChange.answered !== r.orgChange.of) f.push(`the newcomer was answered as such ${r.orgChange.answered} times of ${r.orgChange.of} after every replica took the org change`);
  if (r.pgOutage && (r.pgOutage.down.some((s) => s !== 503) || r.pgOutage.after.some((s) => s !== 200))) f.push(`/healthz while PostgreSQL was down: ${r.pgOutage.down.join(', ')} (503 expected), after: ${r.pgOutage.after.join(', ')} (200 expected)`);
  // Unacked may be only a request in flight to a replica killed outright (nginx answers 502;
  // Slack shows an error or retries) and what came while PostgreSQL was down (503: not written,
  // not acked; Slack delivers events again, a person retypes a command).
  const unexcused = r.notAcked.filter((s) => s.phase !== 'sigkill' && !(s.phase === 'pgdown' && s.status === 503));
  if (unexcused.length) f.push(`not acked outside the SIGKILL and the outage: ${unexcused.map((s) => `${s.kind} ${s.status} during ${s.phase}`).join(', ')}`);
  return f;
}
