// A person field end to end, on Slack and Lark: the visitor's host hands the visit to a
// colleague through the "Hand to a colleague" form — opened from the host's button (a modal
// with a users_select; a card form with a select_person), filled with the platform's own
// payload, submitted, and the effect seen (the colleague is pinged, the visit is theirs).
// A person the org does not know is answered as a field error, nothing changed.
// Payload shapes: Slack's view state value for a users_select is `{ type: 'users_select',
// selected_user }` (@slack/bolt ViewStateValue, dist/types/view/index.d.ts); Lark's
// form_value of a select_person is the chosen person's open_id (the card callback reference,
// fixtures/lark/card-form-submit.json).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LARK_VERIFICATION_TOKEN } from '../support/harness.ts';
import { larkFormSubmit } from '../support/lark-requests.ts';
import { viewSubmission } from '../support/slack-requests.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const ORG = fileURLToPath(new URL('../support/fixtures/visitors-org.yaml', import.meta.url));
const XIAO_WANG = 'U0XIAOWANG';
const text = (m: { text?: unknown; blocks?: unknown }) => `${String(m.text)}\n${JSON.stringify(m.blocks ?? [])}`;
type Block = { type: string; block_id?: string; element?: Record<string, unknown>; elements?: { action_id: string; value: string }[] };

describe('a person field over Slack (users_select)', () => {
  // The real clock: a host named by the front desk is pinged whatever the hour.
  const h = useHarness({ slack: true, orgFile: ORG });
  const dm = (user: string, has: string) => waitFor(() => [...h.fakeSlack.messagesIn(user)].reverse().find((m) => text(m).includes(has)), { what: `a DM to ${user} with ${has}` });
  const submit = async (user: string, privateMetadata: string, selectedUser: string) => {
    const r = await h.slackPost(viewSubmission({ userId: user, privateMetadata, values: { colleague: { colleague: { type: 'users_select', selected_user: selectedUser } } } }));
    return { status: r.status, json: r.text ? (JSON.parse(r.text) as Record<string, unknown>) : undefined };
  };

  it('opens the hand-over modal with a user picker, refuses a person outside the org as a field error, and hands the visit to the one picked', async () => {
    await h.slackReply(await h.slashCommand(XIAO_WANG, 'visitor 人选科技 name:钱先生 host:"Tom Reed"'));
    const host = await dm(SLACK.tomReed, '人选科技');
    const hand = ((host.blocks as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? [])).find((e) => e.value.includes('"act":"hand"'))!;
    await h.blockAction(SLACK.tomReed, hand.action_id, JSON.parse(hand.value) as Record<string, string>);
    const opened = await h.fakeSlack.waitForView((v) => v.method === 'views.open' && JSON.stringify(v.view).includes('Hand to a colleague'));
    const view = opened.view as { private_metadata: string; blocks: Block[] };
    expect(view.blocks.find((b) => b.block_id === 'colleague')!.element).toMatchObject({ type: 'users_select', action_id: 'colleague' });

    // Someone in the workspace but not in the org file: the modal stays open with the error beside the field.
    const wrong = await submit(SLACK.tomReed, view.private_metadata, SLACK.stranger);
    expect(wrong.status).toBe(200);
    expect(wrong.json).toMatchObject({ response_action: 'errors' });
    expect((wrong.json!.errors as Record<string, string>).colleague).toMatch(/^Colleague: /);
    await h.kehu.idle();
    expect(await h.db.prisma.visit.count({ where: { company: '人选科技', hostId: 'tom.reed' } })).toBe(1);

    // 林梅, picked in Slack's user picker: the modal closes, she is pinged, the visit is hers.
    const right = await submit(SLACK.tomReed, view.private_metadata, SLACK.meiLin);
    expect(right.json).toEqual({ response_action: 'clear' });
    const pinged = await dm(SLACK.meiLin, '人选科技');
    expect(text(pinged)).toContain('钱先生');
    await h.kehu.idle();
    expect(await h.db.prisma.visit.count({ where: { company: '人选科技', hostId: 'mei.lin' } })).toBe(1);
  });
});

describe('a person field over Lark (select_person)', () => {
  const h = useHarness({ lark: 'http', orgFile: ORG });
  type Node = { tag?: string; name?: string; behaviors?: { type: string; value: Record<string, string> }[]; [k: string]: unknown };
  const nodes = (card: unknown): Node[] => {
    const out: Node[] = [];
    const walk = (n: unknown) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        out.push(n as Node);
        Object.values(n).forEach(walk);
      }
    };
    walk(card);
    return out;
  };
  const callbacks = (card: unknown) => nodes(card).flatMap((n) => (n.behaviors ?? []).filter((b) => b.type === 'callback').map((b) => b.value));
  const submit = async (openId: string, token: string, colleague: string) => {
    const r = await h.larkPost(larkFormSubmit({ openId, token: LARK_VERIFICATION_TOKEN, value: { kehu_form: token }, formValue: { colleague } }));
    return JSON.parse(r.text) as { toast?: { type: string; content: string }; card?: { data: unknown } };
  };

  it('sends the hand-over card form with a person picker, refuses an open_id outside the org beside the field, and hands the visit over', async () => {
    await h.larkMessage('ou_xiaowang', '访客 公司:选人文具 姓名:孙女士 找:Tom Reed');
    await h.larkIdle();
    const host = await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && JSON.stringify(m.content).includes('选人文具'));
    const hand = callbacks(host.content).find((v) => v.kehu_action === 'visitor.hand' || v.act === 'hand')!;
    expect(hand, JSON.stringify(callbacks(host.content))).toBeDefined();
    await h.larkCardAction(LARK.tomReed, hand, { messageId: host.message_id });
    await h.larkIdle();
    const form = await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && JSON.stringify(m.content).includes('select_person'));
    expect(nodes(form.content).find((n) => n.name === 'colleague')).toMatchObject({ tag: 'select_person' });
    const token = callbacks(form.content).find((v) => v.kehu_form)!.kehu_form!;

    const wrong = await submit(LARK.tomReed, token, LARK.stranger);
    expect(wrong.toast).toMatchObject({ type: 'error' });
    expect(wrong.toast!.content).toMatch(/^Colleague: /);
    expect(JSON.stringify(wrong.card!.data)).toContain('select_person');
    await h.larkIdle();
    expect(await h.db.prisma.visit.count({ where: { company: '选人文具', hostId: 'tom.reed' } })).toBe(1);

    const right = await submit(LARK.tomReed, token, LARK.meiLin);
    expect(right.toast).toMatchObject({ type: 'success' });
    await h.larkIdle();
    await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.meiLin && JSON.stringify(m.content).includes('选人文具'));
    expect(await h.db.prisma.visit.count({ where: { company: '选人文具', hostId: 'mei.lin' } })).toBe(1);
  });
});
