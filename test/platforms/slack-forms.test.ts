// Forms on Slack over HTTP, end to end: a command without its arguments (or a button) opens
// a modal with views.open and the trigger_id; a submission is validated, answered with
// `response_action: errors` in the HTTP response when wrong, closes and posts the result
// when right; forged, stale and someone else's submissions are refused with nothing written.
import { describe, expect, it } from 'vitest';
import { sealForm } from '../../src/chat/form-seal.ts';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { appHomeOpened, blockActions, blockSuggestion, slashCommand, triggerId, viewSubmission } from '../support/slack-requests.ts';
import { SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';
import { sleep } from '../support/wait-for.ts';

const h = useHarness({ slack: true });

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; elements?: { action_id: string; value: string }[] };

/** Opens a form with a slash command; resolves with the modal Slack got. */
async function openModal(user: string, text: string) {
  await h.slashCommand(user, text);
  const opened = await h.fakeSlack.waitForView((v) => v.method === 'views.open');
  return opened.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: Block[] };
}

async function submit(user: string, privateMetadata: string, values: Record<string, Record<string, unknown>>, trigger?: string) {
  const r = await h.slackPost(viewSubmission({ userId: user, privateMetadata, values, triggerId: trigger }));
  return { ...r, json: r.text ? (JSON.parse(r.text) as Record<string, unknown>) : undefined };
}

const text = (value: string) => ({ type: 'plain_text_input', value });
const claimValues = (name: string, more: Record<string, string> = {}) => ({
  name: { name: text(name) },
  creditCode: { creditCode: text(more.creditCode ?? '') },
  city: { city: text(more.city ?? '') },
  contact: { contact: text(more.contact ?? '') },
});

describe('Slack modals', () => {
  it('opens the claim form as a modal for `claim` without arguments, and posts nothing else', async () => {
    const view = await openModal(SLACK.tomReed, 'claim');
    expect(view.callback_id).toBe('kehu:form');
    expect(view.title.text).toBe('Claim a customer');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b.element?.type])).toEqual([
      ['name', 'plain_text_input'],
      ['creditCode', 'plain_text_input'],
      ['city', 'plain_text_input'],
      ['contact', 'plain_text_input'],
    ]);
    await h.kehu.idle();
    expect(h.fakeSlack.responses).toEqual([]);
  });

  it('pre-fills what a one-line form typed when the company is missing', async () => {
    const view = await openModal(SLACK.tomReed, 'claim city:Shanghai contact:"Li Lei"');
    const input = (name: string) => view.blocks.find((b) => b.block_id === name)!.element!;
    expect(input('city').initial_value).toBe('Shanghai');
    expect(input('contact').initial_value).toBe('Li Lei');
    expect(input('name').initial_value).toBeUndefined();
  });

  it('answers wrong fields with response_action errors inside 3 s, keeps the modal, writes nothing', async () => {
    const view = await openModal(SLACK.tomReed, 'claim');
    const r = await submit(SLACK.tomReed, view.private_metadata, claimValues('', { city: 'x'.repeat(51) }));
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3000);
    expect(r.json).toEqual({ response_action: 'errors', errors: { name: 'Company: this is required', city: 'City: at most 50 characters' } });
    expect(await h.db.prisma.customer.count()).toBe(0);
  });

  it('closes on a right submission, posts the result in the DM, and a double submit creates one customer', async () => {
    const view = await openModal(SLACK.tomReed, 'claim');
    const trigger = triggerId();
    const r = await submit(SLACK.tomReed, view.private_metadata, claimValues('Modal Robotics Ltd.', { city: 'Shanghai' }), trigger);
    expect(r.json).toEqual({ response_action: 'clear' });
    const dm = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.tomReed);
    expect(String(dm.params.text)).toContain('Modal Robotics Ltd. is now your customer');
    // Slack's retry of the same submission (same trigger_id) and a second click (a new one).
    const retry = await submit(SLACK.tomReed, view.private_metadata, claimValues('Modal Robotics Ltd.'), trigger);
    expect(retry.status).toBe(200);
    await submit(SLACK.tomReed, view.private_metadata, claimValues('Modal Robotics Ltd.'));
    await h.kehu.idle();
    expect(await h.db.prisma.customer.count({ where: { name: 'Modal Robotics Ltd.' } })).toBe(1);
    expect(h.fakeSlack.callsOf('chat.postMessage').filter((c) => c.params.channel === SLACK.tomReed).map((c) => String(c.params.text))).toEqual([
      expect.stringContaining('is now your customer'),
      expect.stringContaining('already yours'),
    ]);
  });

  it.each([
    ['a view kehu did not send', () => 'not-a-seal', 'was not sent by kehu'],
    ['a tampered private_metadata', (real: string) => `${real.slice(0, -3)}abc`, 'was not sent by kehu'],
    ['a stale form', () => sealForm(SLACK_SIGNING_SECRET, { request: { name: 'customer.claim', context: {} }, openedFor: 'tom.reed', issuedAt: Date.now() - 25 * 3600_000 }), 'has expired'],
    ['a form opened for someone else', () => sealForm(SLACK_SIGNING_SECRET, { request: { name: 'customer.claim', context: {} }, openedFor: 'wu.hao', issuedAt: Date.now() }), 'opened for someone else'],
    ['an unknown form name', () => sealForm(SLACK_SIGNING_SECRET, { request: { name: 'customer.nope' as never, context: {} }, openedFor: 'tom.reed', issuedAt: Date.now() }), 'was not sent by kehu'],
  ])('refuses %s in the modal, with nothing written and never a 5xx', async (_name, metadata, expected) => {
    const view = await openModal(SLACK.tomReed, 'claim');
    const r = await submit(SLACK.tomReed, metadata(view.private_metadata), claimValues('Forged Co.'));
    expect(r.status).toBe(200);
    expect(r.json?.response_action).toBe('update');
    expect(JSON.stringify(r.json)).toContain(expected);
    await h.kehu.idle();
    expect(await h.db.prisma.customer.count({ where: { name: 'Forged Co.' } })).toBe(0);
  });

  it('refuses a submission whose command the person may no longer use', async () => {
    const forged = sealForm(SLACK_SIGNING_SECRET, { request: { name: 'customer.claim', context: {} }, openedFor: 'xiao.wang', issuedAt: Date.now() });
    const r = await submit('U0XIAOWANG', forged, claimValues('Front Desk Co.'));
    expect(JSON.stringify(r.json)).toContain('你没有权限');
    expect(await h.db.prisma.customer.count({ where: { name: 'Front Desk Co.' } })).toBe(0);
  });

  it('answers with an "Open the form" button when the trigger expired, and the button opens the modal', async () => {
    const responseUrl = h.fakeSlack.responseUrl('late');
    await h.slackPost(slashCommand({ userId: SLACK.tomReed, text: 'claim', responseUrl, triggerId: triggerId(Date.now() - 4_000) }));
    const reply = await h.fakeSlack.waitForResponse((r) => r.id === 'late');
    expect(h.fakeSlack.calls.find((c) => c.method === 'views.open')).toBeDefined();
    expect(h.fakeSlack.views).toEqual([]);
    const button = (reply.body.blocks as Block[]).find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.action_id).toMatch(/^kehu:form\.open:/);
    const trigger = triggerId();
    await h.slackPost(blockActions({ userId: SLACK.tomReed, actionId: button.action_id, value: JSON.parse(button.value) as Record<string, string>, responseUrl: h.fakeSlack.responseUrl(), triggerId: trigger }));
    // The modal opens at once (the front door, right after the ack); the form is drawn into it.
    const opened = await h.fakeSlack.waitForView((v) => v.method === 'views.open');
    expect(opened).toMatchObject({ trigger_id: trigger, view: { external_id: `kehu-form:${trigger}` } });
    const form = await h.fakeSlack.waitForView((v) => v.method === 'views.update' && v.external_id === `kehu-form:${trigger}`);
    expect((form.view.title as { text: string }).text).toBe('Claim a customer');
    expect(form.id).toBe(opened.id);
  });

  it('draws what a form.open press answers into the modal opened at once when it opens no form, and falls back to a button when no modal could open', async () => {
    // A form this person may not use (front desk, the claim form): the sentence, in the modal.
    const trigger = triggerId();
    await h.slackPost(blockActions({ userId: 'U0XIAOWANG', actionId: 'kehu:form.open:0', value: { form: 'customer.claim' }, home: true, triggerId: trigger }));
    const refused = await h.fakeSlack.waitForView((v) => v.method === 'views.update' && v.external_id === `kehu-form:${trigger}`);
    expect(JSON.stringify(refused.view.blocks)).toMatch(/认领|claim/i);
    expect(refused.view.close).toBeDefined();
    // A trigger already too old: no modal at once, none later; the form comes as a button in the DM.
    const late = triggerId(Date.now() - 4_000);
    await h.slackPost(blockActions({ userId: SLACK.tomReed, actionId: 'kehu:form.open:0', value: { form: 'customer.claim' }, home: true, triggerId: late }));
    const dm = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.tomReed && JSON.stringify(c.params.blocks ?? '').includes('kehu:form.open'));
    expect(dm).toBeDefined();
    expect(h.fakeSlack.views.filter((v) => v.trigger_id === late || v.external_id === `kehu-form:${late}`)).toEqual([]);
  });

  it('opens the next stage’s evidence form for `stage <company>`', async () => {
    await h.slackReply(await h.slashCommand(SLACK.tomReed, 'claim Stage Works Ltd.'));
    const view = await openModal(SLACK.tomReed, 'stage Stage Works');
    expect(view.title.text).toBe('Stage 25%');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['contactName', 'phone', 'email']);
    const wrong = await submit(SLACK.tomReed, view.private_metadata, { contactName: { contactName: text('Wang') }, phone: { phone: text('') }, email: { email: text('') } });
    // Phone or email: the funnel's own rule; the modal stays open with the sentence.
    expect(wrong.json).toEqual({ response_action: 'errors', errors: { contactName: expect.stringContaining('Stage 25% needs a verified contact') } });
    const ok = await submit(SLACK.tomReed, view.private_metadata, { contactName: { contactName: text('Wang') }, phone: { phone: text('138') }, email: { email: text('') } });
    expect(ok.json).toEqual({ response_action: 'clear' });
    await h.fakeSlack.waitForCall('chat.postMessage', (c) => String(c.params.text).includes('0% → 25%'));
  });

  it('serves a customer field from the customer index on block_suggestion (the log form)', async () => {
    await h.slackReply(await h.slashCommand(SLACK.tomReed, 'claim 华为技术有限公司'));
    const view = await openModal(SLACK.meiLin, 'log');
    expect(view.blocks.find((b) => b.block_id === 'company')!.element!.type).toBe('external_select');
    expect(view.blocks.find((b) => b.block_id === 'kind')!.element!.type).toBe('static_select');
    const r = await h.slackPost(blockSuggestion({ userId: SLACK.meiLin, privateMetadata: view.private_metadata, actionId: 'company', value: 'hwjs' }));
    expect(JSON.parse(r.text)).toEqual({ options: [{ text: { type: 'plain_text', text: '华为技术有限公司' }, value: '华为技术有限公司' }] });
    const forged = await h.slackPost(blockSuggestion({ userId: SLACK.meiLin, privateMetadata: 'forged', actionId: 'company', value: 'hwjs' }));
    expect(JSON.parse(forged.text)).toEqual({ options: [] });
    const done = await submit(SLACK.meiLin, view.private_metadata, {
      company: { company: { type: 'external_select', selected_option: { value: '华为技术有限公司' } } },
      kind: { kind: { type: 'static_select', selected_option: { value: 'visit' } } },
      note: { note: text('带客户参观了展厅') },
    });
    expect(done.json).toEqual({ response_action: 'clear' });
    await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.meiLin && String(c.params.text).includes('华为技术有限公司'));
    const unknown = await submit(SLACK.meiLin, view.private_metadata, { company: { company: { selected_option: { value: '华为技术有限公司' } } }, kind: { kind: { selected_option: { value: 'fax' } } }, note: { note: text('x') } });
    expect(unknown.json).toEqual({ response_action: 'errors', errors: { kind: '方式：“fax”不在可选项中' } });
  });

  it('offers the forms on App Home, and a Home button opens the modal', async () => {
    await h.slackEvent(appHomeOpened(SLACK.tomReed));
    const home = await h.fakeSlack.waitForView((v) => v.method === 'views.publish');
    const buttons = (home.view.blocks as Block[]).find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual(['kehu:form.open:0', 'kehu:form.open:1', 'kehu:form.open:2']);
    await h.slackPost(blockActions({ userId: SLACK.tomReed, actionId: buttons[0]!.action_id, value: JSON.parse(buttons[0]!.value) as Record<string, string>, home: true }));
    await h.fakeSlack.waitForView((v) => v.method === 'views.open');
    const view = await h.fakeSlack.waitForView((v) => v.method === 'views.update');
    expect((view.view.title as { text: string }).text).toBe('Claim a customer');
    // Front desk may not claim: no claim button on their Home.
    await h.slackEvent(appHomeOpened('U0XIAOWANG'));
    await sleep(0);
    const theirs = await h.fakeSlack.waitForView((v) => v.method === 'views.publish' && v.user_id === 'U0XIAOWANG');
    expect(JSON.stringify(theirs.view.blocks)).not.toContain('认领客户');
  });
});
