// Service requests over the real HTTP endpoints: the catalog by department with a button
// per service, the button showing the prerequisites first, and the promise check — on Slack
// and on Lark. The front door checks request timestamps against kehu's clock, so these run
// on the real one; the dates across holidays are pinned in test/unit/working-time.test.ts
// and, with a fixed clock, in test/shell/requests.test.ts.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localDay, workingDaysAfter } from '../../src/core/time/working-time.ts';
import { addDays } from '../../src/core/time/working-days.ts';
import { useHarness } from '../support/use-harness.ts';
import { LARK, SLACK } from '../support/test-org.ts';

const CATALOG = fileURLToPath(new URL('../support/fixtures/test-catalog.yaml', import.meta.url));
const SCHEDULE = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } as const;
/** Tomorrow in Shanghai (too early for five working days), and the earliest realistic date. */
const dates = () => ({ tomorrow: addDays(localDay(Date.now(), 'Asia/Shanghai'), 1), earliest: workingDaysAfter(Date.now(), 5, SCHEDULE) });
const text = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;

describe('requests over Slack', () => {
  const h = useHarness({ slack: true, catalogFile: CATALOG });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command))).body;

  it('lists the services by department, and the service’s button shows its prerequisites', async () => {
    const body = await say(SLACK.tomReed, 'request');
    expect(text(body)).toContain('Services you can ask for');
    expect(text(body)).toContain('done within 3 working days; lead time 5 working days');
    const actions = (body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!;
    const pick = actions.elements!.find((e) => e.action_id.startsWith('kehu:request.pick'))!;
    const pressed = await h.slackReply(await h.blockAction(SLACK.tomReed, pick.action_id, JSON.parse(pick.value) as Record<string, string>));
    expect(text(pressed.body)).toContain('Bring the original invoices to finance.');
    expect(text(pressed.body)).toContain('Your manager approves it before the department sees it.');
  });

  it('answers a promise too early for the lead time with the earliest realistic date', async () => {
    const { tomorrow, earliest } = dates();
    expect(text(await say(SLACK.meiLin, `承诺 华为技术 reimbursement ${tomorrow}`))).toContain(`最早可承诺的日期是 ${earliest}`);
    expect(text(await say(SLACK.tomReed, `promise Acme reimbursement ${earliest}`))).toContain(`${earliest} is realistic`);
  });
});

describe('requests over Lark', () => {
  const h = useHarness({ lark: 'http', catalogFile: CATALOG });
  const say = async (openId: string, command: string) => {
    await h.larkMessage(openId, command);
    await h.larkIdle();
    return JSON.stringify(h.fakeLark.messages.at(-1)!.content);
  };

  it('shows a service’s prerequisites and checks a promise, in Chinese', async () => {
    expect(await say(LARK.meiLin, '请求 费用报销')).toContain('请把发票原件交到财务部。');
    const { tomorrow, earliest } = dates();
    expect(await say(LARK.meiLin, `承诺 华为技术 费用报销 ${tomorrow}`)).toContain(`${tomorrow} 来不及：费用报销需要 5 个工作日。最早可承诺的日期是 ${earliest}。`);
    expect(await say(LARK.meiLin, '请求 签证')).toContain('没有“签证”这项服务');
  });
});
