// Service requests in the shell, end to end on the real back office (SQLite file,
// migrations) with a fixed clock: a request made on one line answers with its number, the
// assignee and the deadlines; the channel card and the assignee's DM are printed; pressing
// "Take it" as the assignee reprints every message of the request in place; "Waiting on
// requester" asks what is missing and sends it to the requester's thread; `requests`,
// `queue` and `away` (the head offered the open requests).
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../support/shell-converse.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../support/fixtures/${name}`, import.meta.url));

describe('service requests in the shell', () => {
  let out = '';
  beforeAll(async () => {
    out = await converse(
      [
        'request materials customer:华为技术 needed:2026-12-10 items:brochures',
        ':as li.na',
        '1',
        '2',
        '请提供 F-12 签字扫描件',
        'comment 1 需要几本宣传册？',
        'queue',
        'away 2026-12-14 2026-12-15',
        ':as chen.gang',
        '1',
        'zhao.lei',
        ':as tom.reed',
        'requests',
        'queue',
      ],
      'tom.reed',
      // Wednesday 2026-12-09 10:00 Shanghai.
      { clock: () => new Date('2026-12-09T02:00:00Z'), env: { KEHU_ORG_FILE: fixture('requests-org.yaml'), KEHU_CATALOG_FILE: fixture('requests-catalog.yaml') } },
    );
  }, 30_000);

  it('answers with the number, the assignee by rotation and the deadlines in working time; prints the channel card and the DM', () => {
    expect(out).toContain('Request #1 (Customer visit materials) is in: 李娜 has it. First response by 2026-12-09 12:00 (Asia/Shanghai), resolved by 2026-12-10 10:00 (Asia/Shanghai).');
    expect(out).toMatch(/📢 in #C0ADMIN:\n\s+#1 客户拜访资料 — 行政部[\s\S]*已分派给 李娜，等待受理。[\s\S]*\[1\] 我来受理/);
    expect(out).toMatch(/📨 to 李娜 \(li\.na\):[\s\S]*Tom Reed 提交了新请求。/);
  });

  it('"Take it" updates the requester’s status, the DM and the card in place', () => {
    expect(out).toMatch(/📝 message #\d+ to tom\.reed now reads:[\s\S]*李娜 took it at 2026-12-09 10:00\./);
    expect(out).toMatch(/📝 message #\d+ to #C0ADMIN now reads:[\s\S]*李娜 已于 2026-12-09 10:00 受理。/);
  });

  it('"Waiting on requester" asks what is missing: the requester gets it in their thread, the status says the clock is paused', () => {
    expect(out).toContain('还缺什么');
    expect(out).toMatch(/↳ to Tom Reed \(tom\.reed\), in reply to message #1:\n\s+#1 Customer visit materials — 李娜: 请提供 F-12 签字扫描件/);
    expect(out).toMatch(/📝 message #1 to tom\.reed now reads:[\s\S]*Waiting on Tom Reed: 李娜 needs something more \(the clock is paused\)\.[\s\S]*I've sent what was missing/);
  });

  it('relays a comment to the requester in reply to their message of the request', () => {
    expect(out).toMatch(/↳ to Tom Reed \(tom\.reed\), in reply to message #1:\n\s+#1 Customer visit materials — 李娜: 需要几本宣传册？/);
  });

  it('lists the department’s queue and the requester’s requests; away is recorded; a requester has no queue', () => {
    expect(out).toContain('#1 客户拜访资料（Tom Reed）— 等待申请人，李娜，截止 2026-12-10 10:00');
    expect(out).toContain('已登记 2026-12-14 至 2026-12-15 请假：轮流分派会跳过你。你的 1 项待办请求已交给部门负责人处理。');
    expect(out).toMatch(/📨 to 陈刚 \(chen\.gang\):[\s\S]*李娜 将于 2026-12-14 至 2026-12-15 请假，手上有 1 项待办请求/);
    // The head reassigns it from the offer: the person picker asked as a question.
    expect(out).toContain('改派给');
    expect(out).toContain('陈刚 已改派给 Zhao Lei。');
    expect(out).toMatch(/📨 to Zhao Lei \(zhao\.lei\):[\s\S]*陈刚 reassigned it to Zhao Lei\./);
    expect(out).toContain('#1 Customer visit materials: waiting on requester (due 2026-12-10 10:00)');
    expect(out).toContain('Only the members and the head of a functional department have a queue.');
  });
});

describe('the rating prompt in the shell', () => {
  let out = '';
  beforeAll(async () => {
    // Wednesday 2026-12-09 10:00 Shanghai; six days later once the prompt is printed (its window is 3 working days).
    const t0 = Date.parse('2026-12-09T02:00:00Z');
    let later = false;
    out = await converse(
      ['request materials customer:华为技术 needed:2026-12-10 items:brochures', ':as li.na', '1', '3', ':as tom.reed', 'requests', 'rate 1 5'],
      'tom.reed',
      {
        clock: () => new Date(t0 + (later ? 6 * 86_400_000 : 0)),
        onOutput: (printed) => void (later ||= printed.includes('How was it?')),
        env: { KEHU_ORG_FILE: fixture('requests-org.yaml'), KEHU_CATALOG_FILE: fixture('requests-catalog.yaml') },
      },
    );
  }, 30_000);

  it('reprints the unanswered prompt in place when its window ends: no buttons, "rating closed, none given"; a late rating is refused', () => {
    const prompt = /📨 to Tom Reed \(tom\.reed\):\n\s+#1 Customer visit materials — 行政部 is resolved\. How was it\?[\s\S]*?\[5\] ★★★★★[\s\S]*?\(message #(\d+)\)/.exec(out);
    expect(prompt).not.toBeNull();
    // That message, reprinted in place.
    expect(out).toContain(`📝 message #${prompt![1]} to tom.reed now reads:\n   #1 Customer visit materials — 行政部: rating closed, none given.`);
    expect(out.slice(out.indexOf('rating closed, none given'))).not.toContain('★');
    expect(out).toContain('Request #1 can no longer be rated (not resolved, or the rating window has closed).');
  });
});

describe('rating in the shell', () => {
  let out = '';
  beforeAll(async () => {
    const t0 = Date.parse('2026-12-09T02:00:00Z');
    out = await converse(['request materials customer:华为技术 needed:2026-12-10 items:brochures', ':as li.na', '1', '3', ':as tom.reed', 'rate 1 4 on time'], 'tom.reed', {
      clock: () => new Date(t0),
      env: { KEHU_ORG_FILE: fixture('requests-org.yaml'), KEHU_CATALOG_FILE: fixture('requests-catalog.yaml') },
    });
  }, 30_000);

  it('reprints the prompt in place as soon as `rate` is typed: the score and the thanks, no stars', () => {
    const prompt = /📨 to Tom Reed \(tom\.reed\):\n\s+#1 Customer visit materials — 行政部 is resolved\. How was it\?[\s\S]*?\[5\] ★★★★★[\s\S]*?\(message #(\d+)\)/.exec(out);
    expect(prompt).not.toBeNull();
    expect(out).toContain('Thank you: #1 rated 4/5.');
    expect(out).toContain(`📝 message #${prompt![1]} to tom.reed now reads:\n   ✓ #1 Customer visit materials — 行政部: rated 4/5 — thank you.`);
    expect(out.slice(out.indexOf('rated 4/5 — thank you'))).not.toContain('★');
  });
});
