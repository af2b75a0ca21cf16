// "First wins, exactly", near spellings included: 50 people claim one new company at once
// under seven spellings, through the real /slack/events endpoint, on SQLite, on PostgreSQL,
// and on PostgreSQL with two replicas taking the claims between them. Exactly one customer
// row and one claim in the history; the owner is the one whose claim committed; everyone
// else is told who that is, or asked "Did you mean".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_AVAILABLE, type TestDatabase } from '../db/databases.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const REPS = 50;
const repId = (i: number) => `rep${String(i).padStart(2, '0')}`;
const slackId = (i: number) => `U0REP${String(i).padStart(2, '0')}`;

function raceOrg(): string {
  const people = Array.from({ length: REPS }, (_, i) =>
    `  - { id: ${repId(i)}, name: 销售${i}, email: ${repId(i)}@race.test, slack: ${slackId(i)}, department: sales, manager: boss, roles: [rep] }`,
  );
  const file = join(mkdtempSync(join(tmpdir(), 'kehu-race-')), 'org.yaml');
  writeFileSync(
    file,
    [
      'company: Race',
      'locale: zh-CN',
      'departments:',
      '  - { id: sales, name: 销售部, kind: sales, head: boss }',
      'people:',
      '  - { id: boss, name: 老板, email: boss@race.test, slack: U0BOSS, department: sales, roles: [manager] }',
      ...people,
    ].join('\n'),
  );
  return file;
}

// Near spellings of one new company: the same company (深圳市新星科技 / 新星科技（深圳）/
// 广东省深圳市新星科技; 新星科技 / 新星科技股份) or a region on one side only (close). Claimed
// at once, they must end as one after another would: one claimed, every other refused
// as taken or asked "Did you mean" — never a second record (the claim lock decides).
const SPELLINGS = ['深圳市新星科技有限公司', '新星科技有限公司', '新星科技（深圳）有限公司', '新星科技', '新星科技股份有限公司', '广东省深圳市新星科技有限公司', '新星科枝有限公司'];

// Two replicas on one PostgreSQL: two kehu instances (each its own front door, work thread and
// fake Slack) share the database; the reps' claims are split between them.
const CASES = [
  { provider: 'sqlite', replicas: 1 },
  { provider: 'postgresql', replicas: 1 },
  { provider: 'postgresql', replicas: 2 },
] as const;

for (const { provider, replicas } of CASES) {
  describe.skipIf(provider === 'postgresql' && !PG_AVAILABLE)(`50 simultaneous claims of one new company [${provider}, ${replicas} replica${replicas > 1 ? 's' : ''}]`, () => {
    let target: TestDatabase;
    let hs: Harness[] = [];
    beforeAll(async () => {
      target = await createTestDatabase(provider);
      const orgFile = raceOrg();
      // One after the other: the first applies the migrations.
      for (let r = 0; r < replicas; r++) hs.push(await startHarness({ slack: true, databaseUrl: target.url, orgFile }));
    });
    afterAll(async () => {
      for (const h of hs) await h.stop();
      hs = [];
      await target?.cleanup();
    });

    // Above the 20 s the replies may take on a loaded machine.
    it('ends with exactly one owner, and everyone else told who that is', { timeout: 60_000 }, async () => {
      const replica = (i: number) => hs[i % hs.length]!;
      const sent = await Promise.all(
        Array.from({ length: REPS }, (_, i) => replica(i).slashCommand(slackId(i), `claim ${SPELLINGS[i % SPELLINGS.length]}`)),
      );
      expect(sent.map((r) => r.status)).toEqual(Array(REPS).fill(200));
      const replies = await Promise.all(sent.map((r, i) => replica(i).slackReply(r, { timeoutMs: 20_000 })));
      const texts = replies.map((r) => String(r.body.text));
      const h = hs[0]!;

      const customers = await h.db.prisma.customer.findMany({ select: { id: true, ownerId: true, nameKey: true } });
      expect(customers).toHaveLength(1);
      const owner = customers[0]!.ownerId!;
      const claims = await h.db.prisma.ownershipEvent.findMany({ select: { kind: true, toPersonId: true } });
      expect(claims).toEqual([{ kind: 'claim', toPersonId: owner }]);

      const won = texts.filter((t) => t.includes('已登记为你的客户'));
      expect(won).toHaveLength(1);
      const winnerIndex = texts.findIndex((t) => t.includes('已登记为你的客户'));
      expect(repId(winnerIndex)).toBe(owner);
      const ownerName = `销售${Number(owner.slice(3))}`;
      const told = texts.filter((t) => t.includes(`已由 ${ownerName} 于`) && t.includes('先登记者得'));
      const asked = texts.filter((t) => t.includes('和已有客户很像。你是不是指'));
      expect(told.length + asked.length, texts.join('\n')).toBe(REPS - 1);
      expect(asked.length).toBeGreaterThan(0);
    });
  });
}
