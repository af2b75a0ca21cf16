// The soak (issue 16): a steady mix of commands through nginx to N replicas (replica-rig.ts)
// while replicas are SIGTERMed and started again one after another (a rolling restart), then
// one is SIGKILLed and started again. Each virtual user runs scenarios one after another: three
// reps race to claim the same new company (one owner), the owner moves it to 25%, a loser logs a
// follow-up (the owner is told), the front desk reports a visitor for it with the owner as host,
// and the host presses "Coming now" on two visits in three (the third escalates: the host again
// and the manager, then the head). At the end: every acked command answered exactly once, every
// keyed message (notices, visitor DMs, status and feed, escalations) delivered exactly once and
// none lost, one owner per company, every command applied once, no dead job; the ack p50/p99
// while a replica was stopping or starting beside the p50/p99 of the rest, commands per second,
// the escalation checks' lateness, and each replica's RSS. Used by `npm run soak` (run.ts) and,
// short, by test/platforms/replicas-soak.test.ts. Loopback only.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../bench/bench-kit.ts';
import { randomCompany, seededRandom } from '../support/company-names.ts';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { withReplicaRig } from '../support/replica-rig.ts';
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
  /** Load after the restarts and the kill, ms. */
  tailMs: number;
  /** Scenarios running at once. */
  users: number;
  reps?: number;
  seed?: number;
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
  /** Commands answered otherwise (a 502 for a request in flight to a SIGKILLed replica), with their statuses. */
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
  duplicateKeys: string[];
  /** Notices the queue recorded as sent that never arrived. */
  lostKeys: string[];
  companies: number;
  /** Companies with more than one customer row or claim. */
  ownerViolations: string[];
  /** Commands applied a different number of times than acked (stage changes, follow-ups, visits, presses). */
  appliedWrong: string[];
  deadJobs: number;
  /** visitor.check jobs: done − due, ms. */
  escalationLateness: Percentiles;
  rss: { replica: number; startMb: number; endMb: number; runs: number }[];
  pgConnectionsEnd: number;
}

/** What the replicas were doing when a command was sent or answered: 'sigkill' wins over 'sigterm' over 'steady'. */
export type Phase = 'steady' | 'sigterm' | 'sigkill';

interface Sent {
  id: string;
  kind: 'claim' | 'stage' | 'log' | 'visitor' | 'press';
  company: string;
  status: number;
  ms: number;
  sentAt: number;
  phase: Phase;
}

const FEED = 'C0SOAKFEED';
const DESK = 'U0SOAKDESK';
const BOSS = 'U0SOAKBOSS';
const repId = (i: number) => `r${String(i).padStart(2, '0')}`;
const repSlack = (i: number) => `U0SOAKR${String(i).padStart(2, '0')}`;

/** The soak's org: a head, reps under them, the front desk with its feed, a 3-second escalation ladder of two steps. */
export function soakOrgFile(reps: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kehu-soak-')), 'org.yaml');
  writeFileSync(
    file,
    [
      'company: Soak',
      'locale: zh-CN',
      'timezone: Asia/Shanghai',
      'departments:',
      '  - { id: sales, name: 销售部, kind: sales, head: boss }',
      `  - { id: reception, name: 前台, kind: front-desk, members: [desk], channel: { slack: ${FEED} } }`,
      'people:',
      `  - { id: boss, name: 老板, email: boss@soak.test, slack: ${BOSS}, department: sales, roles: [manager] }`,
      `  - { id: desk, name: 前台小李, email: desk@soak.test, slack: ${DESK}, roles: [front-desk] }`,
      ...Array.from({ length: reps }, (_, i) => `  - { id: ${repId(i)}, name: 销售${i}, email: ${repId(i)}@soak.test, slack: ${repSlack(i)}, department: sales, manager: boss, roles: [rep] }`),
      'visitors:',
      '  escalation: { workingMinutes: 0.05, outsideMinutes: 0.05, maxSteps: 2 }',
      '  salesDepartment: sales',
      '',
    ].join('\n'),
  );
  return file;
}

const stats = (samples: number[]): Percentiles => ({ n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) });

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const reps = o.reps ?? 12;
  const log = o.log ?? (() => undefined);
  return withReplicaRig({ replicas: o.replicas, env: { KEHU_ORG_FILE: soakOrgFile(reps) } }, async (rig) => {
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

    const post = async (req: SlackRequest, kind: Sent['kind'], company: string, id: string): Promise<Sent> => {
      const sentAt = Date.now();
      const atStart = now;
      let status = 0;
      try {
        const res = await fetch(`${rig.url}/slack/events`, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = -1;
      }
      const phases: Phase[] = [atStart, now];
      const phase = phases.includes('sigkill') ? 'sigkill' : phases.includes('sigterm') ? 'sigterm' : 'steady';
      const s: Sent = { id, kind, company, status, ms: Date.now() - sentAt, sentAt, phase };
      sent.push(s);
      return s;
    };
    const command = (user: string, text: string, kind: Sent['kind'], company: string) => {
      const id = randomUUID();
      return post(slashCommand({ userId: user, text, responseUrl: rig.fake.responseUrl(id) }), kind, company, id);
    };
    const answered = (s: Sent) =>
      s.status === 200 ? rig.fake.waitForResponse((r) => r.id === s.id, { what: `the answer to a ${s.kind} of ${s.company}`, timeoutMs: 45_000, intervalMs: 50 }).then(() => true) : Promise.resolve(false);

    const scenario = async (n: number) => {
      const company = nextCompany();
      companies.push(company);
      const racers = new Set<number>();
      while (racers.size < 3) racers.add(Math.floor(random() * reps));
      const claims = await Promise.all([...racers].map((r) => command(repSlack(r), `claim ${company}`, 'claim', company)));
      await Promise.all(claims.map(answered));
      const customer = await rig.db.prisma.customer.findFirst({ where: { name: company }, select: { id: true, ownerId: true } });
      if (!customer?.ownerId) return; // "Did you mean": close to an earlier company, nobody claimed it
      const owner = Number(customer.ownerId.slice(1));
      const other = [...racers].find((r) => r !== owner) ?? (owner + 1) % reps;
      await answered(await command(repSlack(owner), `stage ${company} 25 contact:张三 phone:1380013${String(n % 10_000).padStart(4, '0')}`, 'stage', company));
      await answered(await command(repSlack(other), `log ${company} call 电话沟通 ${n}`, 'log', company));
      const report = await command(DESK, `visitor ${company} name:访客${n} host:${customer.ownerId}`, 'visitor', company);
      if (!(await answered(report)) || n % 3 === 2) return;
      // The host presses "Coming now" on the DM (its buttons carry the visit).
      const visit = await waitFor(() => rig.db.prisma.visit.findFirst({ where: { company }, select: { id: true } }), { what: `the visit of ${company}`, timeoutMs: 30_000, intervalMs: 50 });
      const dm = await waitFor(() => rig.fake.messagesIn(repSlack(owner)).find((m) => m.metadata?.event_payload?.key === `visit:${visit.id}:host:v1`), { what: `the host's DM for ${company}`, timeoutMs: 45_000, intervalMs: 50 });
      type Element = { action_id?: string; value?: string };
      const elements = ((dm.blocks ?? []) as { elements?: Element[] }[]).flatMap((b) => b.elements ?? []);
      const button = elements.find((e) => e.action_id?.startsWith('kehu:') && e.value?.includes('"act":"coming"'));
      if (!button) throw new Error(`no "Coming now" button in the DM for ${company}`);
      const value = JSON.parse(button.value!) as Record<string, string>;
      const id = randomUUID();
      const press = await post(blockActions({ userId: repSlack(owner), actionId: button.action_id!, value, responseUrl: rig.fake.responseUrl(id) }), 'press', company, id);
      if (await answered(press)) pressed.set(company, (pressed.get(company) ?? 0) + 1);
    };

    const started = Date.now();
    let scenarios = 0;
    const user = async () => {
      while (!stopping) await scenario(scenarios++);
    };
    const users = Array.from({ length: o.users }, user);
    const lifecycle = (async () => {
      await sleep(o.steadyMs);
      for (const i of o.restarts) {
        now = 'sigterm';
        const t = Date.now();
        await rig.restart(i).finally(() => (now = 'steady'));
        log(`[soak] replica ${i}: SIGTERM, exit 0, started again (${Date.now() - t} ms)`);
      }
      if (o.kill !== undefined) {
        now = 'sigkill';
        killAt = Date.now();
        await rig.kill(o.kill);
        await rig.start(o.kill).finally(() => (now = 'steady'));
        log(`[soak] replica ${o.kill}: SIGKILL, started again (${Date.now() - killAt} ms)`);
      }
      await sleep(o.tailMs);
      stopping = true;
    })();
    await Promise.all([lifecycle, ...users]);
    const loadEnd = Date.now();

    // The queue drains: notices, escalation checks, updates; the ladder stops after two steps.
    const open = { status: { in: ['pending', 'running'] }, kind: { in: ['notify.person', 'notify.channel', 'message.update', 'visitor.check', 'inbox.slack'] } };
    await waitFor(async () => (await rig.db.prisma.job.count({ where: open })) === 0, { what: 'the queue drained', timeoutMs: 60_000, intervalMs: 200 }).catch(async (e: Error) => {
      const left = await rig.db.prisma.job.findMany({ where: open, select: { kind: true, status: true, runAt: true, attempts: true, lastError: true, idempotencyKey: true }, take: 10 });
      throw new Error(`${e.message}; still open: ${JSON.stringify(left)}`);
    });

    const acked = sent.filter((s) => s.status === 200);
    const answers = new Map<string, number[]>();
    for (const r of rig.fake.responses) answers.set(r.id, [...(answers.get(r.id) ?? []), r.at]);
    const unanswered = acked.filter((s) => !answers.has(s.id)).map((s) => `${s.kind} ${s.company}`);
    const twice = acked.filter((s) => (answers.get(s.id)?.length ?? 0) > 1);
    const acrossKill = (s: Sent) => killAt !== undefined && s.sentAt <= killAt && answers.get(s.id)!.at(-1)! >= killAt;

    const places = [BOSS, DESK, FEED, ...Array.from({ length: reps }, (_, i) => repSlack(i))];
    const counts = rig.keyCounts(places, () => true);
    const sentJobs = await rig.db.prisma.job.findMany({ where: { kind: { in: ['notify.person', 'notify.channel'] }, status: 'done' }, select: { idempotencyKey: true } });
    const checks = await rig.db.prisma.job.findMany({ where: { kind: 'visitor.check', status: 'done' }, select: { runAt: true, updatedAt: true } });

    const ownerViolations: string[] = [];
    const appliedWrong: string[] = [];
    const ackedOf = (company: string, kind: Sent['kind']) => acked.filter((s) => s.company === company && s.kind === kind).length;
    for (const company of companies) {
      const rows = await rig.db.prisma.customer.findMany({ where: { name: company }, select: { id: true } });
      if (rows.length > 1) ownerViolations.push(`${company}: ${rows.length} customers`);
      const row = rows[0];
      if (!row) continue;
      const claimsMade = await rig.db.prisma.ownershipEvent.count({ where: { customerId: row.id, kind: 'claim' } });
      if (claimsMade !== 1) ownerViolations.push(`${company}: ${claimsMade} claims`);
      const expect = (what: string, got: number, want: number) => got !== want && appliedWrong.push(`${company}: ${what} ${got}, acked ${want}`);
      expect('stage changes', await rig.db.prisma.stageChange.count({ where: { customerId: row.id } }), ackedOf(company, 'stage'));
      expect('call follow-ups', await rig.db.prisma.followUp.count({ where: { customerId: row.id, kind: 'call' } }), ackedOf(company, 'log'));
      expect('visits', await rig.db.prisma.visit.count({ where: { company } }), ackedOf(company, 'visitor'));
      const taken = await rig.db.prisma.visit.count({ where: { company, takenById: { not: null } } });
      expect('hosted-visit follow-ups', await rig.db.prisma.followUp.count({ where: { customerId: row.id, kind: 'visit' } }), taken);
      if (taken !== (pressed.get(company) ?? 0)) {
        const replies = acked.filter((x) => x.company === company && x.kind === 'press').map((x) => JSON.stringify(rig.fake.responses.find((r) => r.id === x.id)?.body.text));
        appliedWrong.push(`${company}: ${taken} visits taken, ${pressed.get(company) ?? 0} "Coming now" acked (${replies.join('; ')})`);
      }
    }

    const rss = rig.replicas.map((r) => ({ replica: r.index, startMb: r.rssStartMb ?? Number.NaN, endMb: rig.rss(r.index), runs: r.runs.length }));
    const connections = [...(await rig.pgConnections()).values()].reduce((a, b) => a + b, 0);
    const seconds = (loadEnd - started) / 1000;
    return {
      replicas: o.replicas,
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
      duplicateKeys: [...counts].filter(([, n]) => n !== 1).map(([k, n]) => `${k} ×${n}`),
      lostKeys: sentJobs.map((j) => j.idempotencyKey).filter((k) => !counts.has(k)),
      companies: companies.length,
      ownerViolations,
      appliedWrong,
      deadJobs: await rig.db.prisma.job.count({ where: { status: 'dead' } }),
      escalationLateness: stats(checks.map((j) => j.updatedAt.getTime() - j.runAt.getTime())),
      rss,
      pgConnectionsEnd: connections,
    };
  });
}

const ms = (p: Percentiles) => (p.n ? `p50 ${p.p50.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms (n ${p.n})` : 'no samples');

/** The figures, one per line. */
export function formatSoak(r: SoakReport): string {
  return [
    `[soak] ${r.replicas} replica(s): ${r.commands} commands in ${r.seconds.toFixed(1)} s = ${r.commandsPerSecond.toFixed(1)} commands/s, ${r.acked} acked, ${r.notAcked.length} not acked (${r.notAcked.map((s) => `${s.kind} ${s.status} during ${s.phase}`).join(', ') || 'none'})`,
    `[soak]   ack without restarts: ${ms(r.ackSteady)}`,
    `[soak]   ack while a replica stopped/started: ${ms(r.ackDuringRestarts)}`,
    `[soak]   escalation checks' lateness (done − due): ${ms(r.escalationLateness)}`,
    `[soak]   duplicates: ${r.answeredTwice.length} answers, ${r.duplicateKeys.length} keyed messages (${r.keyed} delivered); reposted across the SIGKILL (documented edge): ${r.repostedAcrossKill.length}`,
    `[soak]   losses: ${r.unanswered.length} unanswered, ${r.lostKeys.length} keyed messages; dead jobs ${r.deadJobs}`,
    `[soak]   ${r.companies} companies: owner violations ${r.ownerViolations.length}, applied ≠ acked ${r.appliedWrong.length}`,
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
  // Only a request in flight to a replica killed outright may go unacked (nginx answers 502; Slack would show an error or retry).
  const unexcused = r.notAcked.filter((s) => s.phase !== 'sigkill');
  if (unexcused.length) f.push(`not acked outside the SIGKILL: ${unexcused.map((s) => `${s.kind} ${s.status} during ${s.phase}`).join(', ')}`);
  return f;
}
