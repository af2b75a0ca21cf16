// The digest as replies, without a database: a manager of managers gets each team and the
// total; 50 reps fit Slack's and Lark's limits in pages, none cut off; the charts are drawn
// from the figures (a golden check of the specs).
import { describe, expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { buildDigest, hasScheduledDigest } from '../../src/core/digests/build-digest.ts';
import type { DigestSource, RepFigures } from '../../src/core/digests/digest.ts';
import { emptyFigures } from '../../src/core/digests/figures.ts';
import { weekPeriod } from '../../src/core/digests/period.ts';
import type { Services } from '../../src/chat/command.ts';
import { digestChartSpecs } from '../../src/chat/digests/charts.ts';
import { digestPages } from '../../src/chat/digests/digest-message.ts';
import { digestReply } from '../../src/chat/digests/digest-reply.ts';
import { handoversSection } from '../../src/chat/digests/handovers.section.ts';
import { renderLark } from '../../src/chat/render-lark.ts';
import { renderSlackPages } from '../../src/chat/render-slack.ts';

/** A director over 5 managers, each with 10 reps whose names are long and Chinese. */
function bigOrg() {
  const people = [`  - { id: boss, name: 王总监, email: boss@x.test, department: sales }`];
  for (let m = 0; m < 5; m++) {
    people.push(`  - { id: m${m}, name: 经理${m}, email: m${m}@x.test, department: sales, manager: boss }`);
    for (let r = 0; r < 10; r++) people.push(`  - { id: r${m}-${r}, name: 销售代表欧阳${m}号${r}号, email: r${m}-${r}@x.test, department: sales, manager: m${m}, roles: [rep] }`);
  }
  return parseOrgText(`company: 大公司\nlocale: zh-CN\ntimezone: Asia/Shanghai\ndepartments:\n  - { id: sales, name: 销售部, kind: sales, head: boss }\npeople:\n${people.join('\n')}\n`, 'big.yaml');
}

const figuresFor = (id: string, weeks: readonly { key: string }[]): RepFigures => {
  const f = emptyFigures();
  f.weeks = weeks.map((w, i) => ({ week: w.key, claims: i, advances: 2 * i, deals: 1, touches: 10 }));
  const n = Number(id.split('-')[1] ?? 0);
  // Every rep has the seed shape except r*-3, thin at 25% (few contacts that work).
  f.stages = id.endsWith('-3') ? { 0: 100, 25: 5, 50: 20, 75: 10, 100: 5 } : { 0: 100, 25: 50, 50: 20, 75: 10, 100: 5 };
  f.moves.claims = n;
  f.touches.period.call = 3;
  f.atRisk.releasingSoon = 1;
  return f;
};

/** The other capabilities' reads of the DigestSource, with nothing to report. */
const noExtras = { flaggedPauses: async () => new Map<string, number>(), walkInsClaimed: async () => new Set<string>(), handoversCompleted: async () => [] };

const source: DigestSource = {
  async figures({ personIds, weeks }) {
    return new Map((personIds === 'everyone' ? [] : personIds).filter((id) => id.startsWith('r')).map((id) => [id, figuresFor(id, weeks)]));
  },
  async atRisk({ personIds, limit }) {
    return personIds.filter((id) => id.startsWith('r')).slice(0, limit).map((id, i) => ({ id: `c${i}`, name: `风险客户有限公司${i}`, ownerId: id, stage: 0 as const, reason: 'releasingSoon' as const, releaseAt: new Date('2026-01-15T00:00:00Z'), lastTouchAt: new Date('2025-12-01T00:00:00Z') }));
  },
  ...noExtras,
};

const directory = bigOrg();
const NOW = new Date('2026-01-12T01:00:00.000Z');
const period = weekPeriod('2026-01-05', 'Asia/Shanghai');
// The handovers, visitors and requests sections read open handovers, the week's visits and requests: none here.
const services = { handovers: { listOpen: async () => [] }, visits: { list: async () => [] }, digests: noExtras, requests: { digestRows: async () => ({ received: [], resolved: [], overdue: [], promises: { checked: 0, kept: 0, broken: 0 } }) } } as unknown as Services;

describe('a manager of managers', () => {
  it('gets each team and the total, with the thin reps named', async () => {
    const digest = await buildDigest({ source, directory, recipient: directory.person('boss')!, period, now: NOW });
    expect(digest.reps).toHaveLength(50);
    expect(digest.teams.map((t) => t.leadId)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(digest.teams[0]!.figures.stages[25]).toBe(9 * 50 + 5);
    expect(digest.reps.filter((r) => r.diagnosis.thin?.stage === 25).map((r) => r.personId)).toEqual(['r0-3', 'r1-3', 'r2-3', 'r3-3', 'r4-3']);
    const first = await digestReply({ digest, directory, locale: 'zh-CN', services, page: 1, pageValue: {} });
    const top = first.blocks[1]!;
    expect(top.kind === 'text' && top.text.split('\n')).toEqual([
      '本期：认领 225 · 推进 0 · 成交 0 · 丢失 0 · 跟进 150 次',
      '薄弱阶段：25%——25% 客户少：客户来源有问题（联系方式失效）（销售代表欧阳0号3号、销售代表欧阳1号3号、销售代表欧阳2号3号、销售代表欧阳3号3号、销售代表欧阳4号3号）',
      '建议：客户来源培训：检查线索来源，认领前核实联系方式。',
    ]);
  });

  it("a manager's digest holds only their line", async () => {
    const digest = await buildDigest({ source, directory, recipient: directory.person('m2')!, period, now: NOW });
    expect(digest.reps.map((r) => r.personId)).toEqual(Array.from({ length: 10 }, (_, i) => `r2-${i}`));
    expect(digest.atRisk.every((c) => c.ownerId.startsWith('r2-'))).toBe(true);
  });
});

describe('50 reps in pages', () => {
  it('every page fits one Slack message and one Lark card, and every rep is on a page', async () => {
    const digest = await buildDigest({ source, directory, recipient: directory.person('boss')!, period, now: NOW });
    const { pages } = await digestReply({ digest, directory, locale: 'zh-CN', services, page: 1, pageValue: { kind: 'weekly', day: '2026-01-05' } });
    expect(pages).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (let page = 1; page <= pages; page++) {
      const reply = await digestReply({ digest, directory, locale: 'zh-CN', services, page, pageValue: { kind: 'weekly', day: '2026-01-05' } });
      const slack = renderSlackPages(reply);
      expect(slack).toHaveLength(1);
      expect(slack[0]!.blocks.length).toBeLessThanOrEqual(50);
      expect(Buffer.byteLength(JSON.stringify(renderLark(reply)))).toBeLessThan(30 * 1024);
      const buttons = reply.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons : [])).filter((b) => b.action === 'digest.page');
      expect(buttons).toHaveLength(pages);
      for (const r of digest.reps) if (JSON.stringify(reply.blocks).includes(`${directory.person(r.personId)!.name}：`)) seen.add(r.personId);
    }
    expect(seen.size).toBe(50);
  });
});

describe('the charts', () => {
  it('are drawn from the figures: each rep, the team shape, the 12 weeks', async () => {
    const digest = await buildDigest({ source, directory, recipient: directory.person('m0')!, period, now: NOW });
    const [funnel, trend] = digestChartSpecs(digest, directory, 'en');
    expect(funnel!.labels).toEqual([...Array.from({ length: 10 }, (_, i) => `销售代表欧阳0号${i}号`), 'team (scaled)']);
    expect(funnel!.datasets.map((d) => d.label)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(funnel!.datasets[1]!.data).toEqual([50, 50, 50, 5, 50, 50, 50, 50, 50, 50, 45.5]);
    expect(funnel!.height).toBe(140 + 26 * 11);
    expect(trend!.labels).toEqual(['2025-W43', '2025-W44', '2025-W45', '2025-W46', '2025-W47', '2025-W48', '2025-W49', '2025-W50', '2025-W51', '2025-W52', '2026-W01', '2026-W02']);
    expect(trend!.datasets.map((d) => [d.label, d.data.at(-1)])).toEqual([['claims', 110], ['advances', 220], ['deals', 10], ['touchpoints', 100]]);
  });
});

describe('the handovers section', () => {
  it('counts the handovers of the line completed in the period, not another line’s', async () => {
    const closedAt = new Date(period.from.getTime() + 86_400_000);
    const withHandovers = { ...services, digests: { ...noExtras, handoversCompleted: async () => [{ leaverId: 'r0-0', closedAt }, { leaverId: 'r1-0', closedAt }] } } as unknown as Services;
    const digest = await buildDigest({ source, directory, recipient: directory.person('m0')!, period, now: NOW });
    const chunks = await handoversSection.build({ digest, directory, locale: 'en', services: withHandovers });
    expect(chunks.flat().map((b) => ('text' in b ? b.text : ''))).toEqual(['Handovers', 'Completed in this period: 1: 销售代表欧阳0号0号']);
  });
});

describe('bad input reads as sentences', () => {
  const empty: DigestSource = { figures: async () => new Map(), atRisk: async () => [], ...noExtras };

  it('a rep with no customers in a week with no data', async () => {
    const digest = await buildDigest({ source: empty, directory, recipient: directory.person('r0-0')!, period, now: NOW });
    const reply = await digestReply({ digest, directory, locale: 'en', services, page: 1, pageValue: {} });
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('No customers yet');
    expect(text).toContain('Too few customers to diagnose (a funnel is read from 20 customers on).');
  });

  it('a week with no data for a manager', async () => {
    const digest = await buildDigest({ source: empty, directory, recipient: directory.person('m0')!, period, now: NOW });
    const reply = await digestReply({ digest, directory, locale: 'en', services, page: 1, pageValue: {} });
    expect(JSON.stringify(reply.blocks)).toContain('Nothing moved in this period');
    expect(JSON.stringify(reply.blocks)).toContain('anyone moved between teams is counted where they are now');
  });

  // A functional department's head with nobody below them, and a manager with neither reports nor a department.
  const lone = parseOrgText(
    'company: X\ntimezone: Asia/Shanghai\ndepartments:\n  - { id: fin, name: Finance, kind: function, head: solo }\npeople:\n  - { id: solo, name: Solo, email: s@x.test, department: fin }\n  - { id: idle, name: Idle, email: i@x.test, department: fin, roles: [manager] }\n',
    'x.yaml',
  );

  it('a manager with nobody below them and no department', async () => {
    expect(hasScheduledDigest(lone, lone.person('idle')!)).toBe(false);
    const digest = await buildDigest({ source: empty, directory: lone, recipient: lone.person('idle')!, period, now: NOW });
    const reply = await digestReply({ digest, directory: lone, locale: 'en', services, page: 1, pageValue: {} });
    expect(reply.blocks[1]).toEqual({ kind: 'text', text: expect.stringMatching(/^Nobody reports to you in the org file yet/) });
  });

  it("a department's head with nobody below them gets the department's record: no funnel, no chart", async () => {
    expect(hasScheduledDigest(lone, lone.person('solo')!)).toBe(true);
    const at = (h: number) => new Date(period.from.getTime() + (24 + h) * 3_600_000);
    const asked: unknown[] = [];
    const withRequests = {
      ...services,
      requests: {
        digestRows: async (scope: unknown) => {
          asked.push(scope);
          return 'departmentIds' in (scope as object)
            ? { received: [{ departmentId: 'fin', clockStart: at(2), respondedAt: at(3) }], resolved: [{ departmentId: 'fin', resolvedAt: at(5), resolutionDue: at(8), rating: 2, ratingComment: 'slow' }], overdue: [], promises: { checked: 0, kept: 0, broken: 0 } }
            : { received: [], resolved: [], overdue: [], promises: { checked: 0, kept: 0, broken: 0 } };
        },
      },
      charts: { render: async () => expect.unreachable('no chart for a digest without a funnel') },
    } as unknown as Services;
    const flags: DigestSource = { ...empty, flaggedPauses: async ({ scope }) => new Map('departmentIds' in scope ? [['fin', 2]] : []) };
    const [reply] = await digestPages({ services: { ...withRequests, digests: flags, clock: () => NOW }, directory: lone, person: lone.person('solo')!, locale: 'en', period, charts: true, pages: [1] });
    expect(asked).toContainEqual({ departmentIds: ['fin'] });
    expect(reply!.images).toBeUndefined();
    const texts = reply!.blocks.map((b) => ('text' in b ? b.text : b.kind === 'list' ? b.items.join('\n') : ''));
    expect(texts[1]).toBe('Nobody reports to you, so there is no funnel to read: below, the record of Finance, which you head.');
    expect(texts).toContain('Requests your department received');
    expect(texts.join('\n')).toContain('Finance: 1 received');
    expect(texts).toContain("Flagged pauses (right after the requester's comment, or past the service's longest pause): Finance 2");
    const all = JSON.stringify(reply!.blocks);
    for (const funnel of ['Funnel per rep', 'Nobody reports to you in the org file', 'Thin =', 'Nothing moved']) expect(all).not.toContain(funnel);
  });

  it("a head's quiet week says so", async () => {
    const digest = await buildDigest({ source: empty, directory: lone, recipient: lone.person('solo')!, period, now: NOW });
    const reply = await digestReply({ digest, directory: lone, locale: 'zh-CN', services, page: 1, pageValue: {} });
    expect(reply.blocks.map((b) => ('text' in b ? b.text : ''))).toEqual(['周报 2026-W02 · Solo', '没有人向你汇报，暂无漏斗：以下是你负责的Finance的记录。', '本期你的部门没有收到请求，也没有访客或交接。']);
  });
});
