// Replies fitted to the platforms' limits and escaped for their markup, end to end: a
// Slack list longer than a section holds keeps every row (several sections, never over
// 3,000 characters or 50 blocks), a Lark button label over 100 characters is cut with an
// ellipsis, and a company name with mrkdwn characters stays literal on Slack.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/use-harness.ts';
import { seedCustomers } from '../support/seed-customers.ts';
import { LARK, SLACK } from '../support/test-org.ts';

type Block = { type: string; text?: { text: string }; elements?: { text?: string | { text?: string } }[]; fields?: { text: string }[] };

/** Every text Slack would show in these blocks. */
const textsOf = (blocks: Block[]) =>
  blocks.flatMap((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text?.text ?? ''))]);

describe('Slack: long lists keep every row', () => {
  const h = useHarness({ slack: true });

  it('mine with 20 customers of long names shows all 20 under a heading that says 20, within Block Kit limits', async () => {
    // 180-character names: 20 rows are about 4,000 characters, over one section's 3,000.
    const names = Array.from({ length: 20 }, (_, i) => `${String(i + 1).padStart(2, '0')} ${'Long Name Trading '.repeat(10)}Co`.slice(0, 180));
    await seedCustomers(h.db, names.map((name) => ({ name, ownerId: 'tom.reed' })));
    const reply = await h.slackReply(await h.slashCommand(SLACK.tomReed, 'mine'));
    const posts = h.fakeSlack.responses;
    const blocks = posts.flatMap((p) => p.body.blocks as Block[]);
    expect(String(reply.body.text)).toBe('Your customers (20)');
    const texts = textsOf(blocks);
    for (const name of names) expect(texts.some((t) => t.includes(name))).toBe(true);
    expect(texts.join('\n').match(/• /g)).toHaveLength(20);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    for (const p of posts) expect((p.body.blocks as Block[]).length).toBeLessThanOrEqual(50);
  });

  it('pool: 20 released customers of long names all shown, every section within 3,000 characters', async () => {
    // The customers of the test before, released to the pool.
    await h.db.prisma.customer.updateMany({ data: { ownerId: null, releasedAt: new Date() } });
    h.fakeSlack.reset();
    await h.slackReply(await h.slashCommand(SLACK.wuHao, 'pool'));
    const texts = textsOf(h.fakeSlack.responses.flatMap((p) => p.body.blocks as Block[]));
    expect(texts.join('\n').match(/• /g)).toHaveLength(20);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
  });

  it('a company name with * _ ~ and backticks does not turn into Slack formatting; & < > stay entities', async () => {
    const name = '*Bold* _Italic_ ~Strike~ `Code` & <Sons>';
    const reply = await h.slackReply(await h.slashCommand(SLACK.meiLin, `claim ${name}`));
    const first = textsOf(reply.body.blocks as Block[]).find((t) => t.includes('Bold'))!;
    const z = '\u200b';
    expect(first).toContain(`${z}*${z}Bold${z}*${z} ${z}_${z}Italic${z}_${z} ${z}~${z}Strike${z}~${z} ${z}\`${z}Code${z}\`${z} &amp; &lt;Sons&gt;`);
    // Read without the zero-width spaces, it is the name as typed.
    expect(first.replaceAll(z, '').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>')).toContain(name);
  });
});

describe('Lark: labels fitted to the card', () => {
  const h = useHarness({ lark: 'http' });

  it('a "Same company as …" button for a 200-character company is at most 100 characters, with an ellipsis', async () => {
    const long = `Acme ${'Robotics Systems '.repeat(11)}Co.`;
    expect(long.length).toBeLessThanOrEqual(200);
    await h.larkMessage(LARK.meiLin, `认领 ${long}`);
    await h.larkIdle();
    // Its name less the last letters: "did you mean" offers the same company as a button.
    await h.larkMessage(LARK.tomReed, `claim ${long.replace(/s Co\.$/, '')}`);
    await h.larkIdle();
    const card = h.fakeLark.messages.at(-1)!.content;
    const labels = [...JSON.stringify(card).matchAll(/"tag":"button","text":\{"tag":"plain_text","content":"([^"]*)"/g)].map((m) => m[1]!);
    const same = labels.find((l) => l.startsWith('Same company as'));
    expect(same).toBeDefined();
    expect(same!.length).toBeLessThanOrEqual(100);
    expect(same!.endsWith('…')).toBe(true);
    for (const l of labels) expect(l.length).toBeLessThanOrEqual(100);
  });
});
