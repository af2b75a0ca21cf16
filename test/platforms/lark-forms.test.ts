// Forms on Lark, end to end: a command without its arguments answers with a card form
// (card JSON 2.0, `form` container); its submit arrives in card.action.trigger with
// form_value and is answered in the callback's response — a toast and the card redrawn with
// the error and the input kept, or the card redrawn as done — over HTTP and the long
// connection; forged, stale and someone else's submissions get a toast and nothing written.
import { describe, expect, it } from 'vitest';
import { sealForm } from '../../src/chat/form-seal.ts';
import { LARK_APP_SECRET, LARK_VERIFICATION_TOKEN } from '../support/harness.ts';
import { larkBotMenu, larkFormSubmit } from '../support/lark-requests.ts';
import { LARK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';

type Element = { tag: string; name?: string; elements?: Element[]; behaviors?: { value: Record<string, string> }[]; default_value?: string; options?: unknown[] };
type Card = { schema: string; header?: { title: { content: string } }; body: { elements: Element[] } };

const formOf = (card: Card) => card.body.elements.find((e) => e.tag === 'form')!;
const tokenOf = (card: Card) => formOf(card).elements!.find((e) => e.tag === 'button')!.behaviors![0]!.value.kehu_form!;

describe('Lark card forms over HTTP', () => {
  const h = useHarness({ lark: 'http' });

  async function openForm(openId: string, text: string): Promise<Card> {
    await h.larkMessage(openId, text);
    await h.larkIdle();
    return h.fakeLark.messages.at(-1)!.content as unknown as Card;
  }
  const submit = async (openId: string, token: string, formValue: Record<string, unknown>) => {
    const r = await h.larkPost(larkFormSubmit({ openId, token: LARK_VERIFICATION_TOKEN, value: { kehu_form: token }, formValue }));
    return { ...r, json: JSON.parse(r.text) as { toast?: { type: string; content: string }; card?: { type: string; data: Card } } };
  };

  it('answers `claim` with the claim form as a card JSON 2.0 form container', async () => {
    const card = await openForm(LARK.tomReed, 'claim');
    expect(card.schema).toBe('2.0');
    expect(card.header!.title.content).toBe('Claim a customer');
    const form = formOf(card);
    expect(form.elements!.filter((e) => e.name && e.tag !== 'button').map((e) => [e.name, e.tag])).toEqual([
      ['name', 'input'],
      ['creditCode', 'input'],
      ['city', 'input'],
      ['contact', 'input'],
    ]);
    expect(form.elements!.at(-1)).toMatchObject({ tag: 'button', form_action_type: 'submit' });
  });

  it('answers a wrong field with a toast and the card redrawn with the error and the input kept, in the response', async () => {
    const token = tokenOf(await openForm(LARK.tomReed, 'claim city:Hangzhou'));
    const r = await submit(LARK.tomReed, token, { name: '', city: 'x'.repeat(51), contact: 'Li Lei' });
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3000);
    expect(r.json.toast).toEqual({ type: 'error', content: 'Company: this is required' });
    const redrawn = r.json.card!.data;
    expect(JSON.stringify(redrawn)).toContain('City: at most 50 characters');
    expect(formOf(redrawn).elements!.find((e) => e.name === 'contact')!.default_value).toBe('Li Lei');
    expect(await h.db.prisma.customer.count()).toBe(0);
  });

  it('offers a customer field as the person’s customers to choose from, or typed and searched like `who`; several matches come back as the choices', async () => {
    for (const name of ['华为技术有限公司', '华为终端有限公司', 'Lark Pick Robotics']) {
      await h.larkMessage(LARK.wuHao, `claim ${name}`);
      await h.larkIdle();
    }
    const card = await openForm(LARK.wuHao, 'log');
    const form = formOf(card);
    const pick = form.elements!.find((e) => e.name === 'company')!;
    expect(pick.tag).toBe('select_static');
    const names = (pick.options as { value: string }[]).map((o) => o.value);
    expect(names).toEqual(expect.arrayContaining(['华为技术有限公司', '华为终端有限公司', 'Lark Pick Robotics']));
    expect(form.elements!.find((e) => e.name === 'company__typed')).toMatchObject({ tag: 'input' });
    const token = tokenOf(card);

    // Chosen from the list.
    const chosen = await submit(LARK.wuHao, token, { company: 'Lark Pick Robotics', kind: 'call', note: '谈了续约' });
    expect(chosen.json.toast?.type).toBe('success');
    expect(await h.db.prisma.followUp.count({ where: { customer: { name: 'Lark Pick Robotics' }, note: '谈了续约' } })).toBe(1);

    // Typed as initials: one match, found as `who` finds it.
    const typed = await submit(LARK.wuHao, token, { company: '', company__typed: 'hwjs', kind: 'note', note: 'initials' });
    expect(typed.json.toast?.type, JSON.stringify(typed.json.toast)).toBe('success');
    expect(await h.db.prisma.followUp.count({ where: { customer: { name: '华为技术有限公司' }, note: 'initials' } })).toBe(1);

    // Typed, several match: the card comes back with the matches as the choices and the text kept.
    const several = await submit(LARK.wuHao, token, { company__typed: 'huawei', kind: 'call', note: '哪一个？' });
    expect(several.json.toast?.type).toBe('error');
    const again = formOf(several.json.card!.data);
    expect((again.elements!.find((e) => e.name === 'company')!.options as { value: string }[]).map((o) => o.value).sort()).toEqual(['华为技术有限公司', '华为终端有限公司']);
    expect(again.elements!.find((e) => e.name === 'company__typed')!.default_value).toBe('huawei');
    expect(again.elements!.find((e) => e.name === 'note')!.default_value).toBe('哪一个？');
    const done = await submit(LARK.wuHao, token, { company: '华为终端有限公司', company__typed: '', kind: 'call', note: '哪一个？' });
    expect(done.json.toast?.type).toBe('success');
    expect(await h.db.prisma.followUp.count({ where: { customer: { name: '华为终端有限公司' } } })).toBe(1);
  });

  it('answers a right submission with the card redrawn as done; a second submit creates nothing more', async () => {
    const token = tokenOf(await openForm(LARK.tomReed, 'claim'));
    const r = await submit(LARK.tomReed, token, { name: 'Card Robotics Ltd.', city: 'Hangzhou', creditCode: '', contact: '' });
    expect(r.json.toast).toEqual({ type: 'success', content: 'Card Robotics Ltd. is now your customer, at stage 0%.' });
    expect(JSON.stringify(r.json.card!.data)).toContain('Card Robotics Ltd. is now your customer');
    expect(r.json.card!.data.body.elements.find((e) => e.tag === 'form')).toBeUndefined();
    const again = await submit(LARK.tomReed, token, { name: 'Card Robotics Ltd.' });
    expect(again.json.toast?.content).toContain('already yours');
    await h.larkIdle();
    expect(await h.db.prisma.customer.count({ where: { name: 'Card Robotics Ltd.' } })).toBe(1);
    expect(h.fakeLark.patches).toEqual([]);
  });

  it.each([
    ['a card kehu did not send', () => 'forged', 'was not sent by kehu'],
    ['a stale card', () => sealForm(LARK_APP_SECRET, { request: { name: 'customer.claim', context: {} }, openedFor: 'tom.reed', issuedAt: Date.now() - 25 * 3600_000 }), 'has expired'],
    ['someone else’s card', () => sealForm(LARK_APP_SECRET, { request: { name: 'customer.claim', context: {} }, openedFor: 'wu.hao', issuedAt: Date.now() }), 'opened for someone else'],
    ['a tampered context', () => sealForm('another secret', { request: { name: 'customer.stage', context: { name: 'X', to: '100' } }, openedFor: 'tom.reed', issuedAt: Date.now() }), 'was not sent by kehu'],
  ])('refuses %s with a toast, never a 5xx, nothing written', async (_name, token, expected) => {
    const r = await submit(LARK.tomReed, token(), { name: 'Forged Card Co.' });
    expect(r.status).toBe(200);
    expect(r.json.toast?.type).toBe('error');
    expect(r.json.toast?.content).toContain(expected);
    await h.larkIdle();
    expect(await h.db.prisma.customer.count({ where: { name: 'Forged Card Co.' } })).toBe(0);
  });

  it('refuses form values of the wrong type and unknown choices in words', async () => {
    const token = tokenOf(await openForm(LARK.meiLin, 'log'));
    const r = await submit(LARK.meiLin, token, { company: ['x'], kind: 'fax', note: 42 });
    expect(r.json.toast?.type).toBe('error');
    expect(JSON.stringify(r.json.card!.data)).toContain('“fax”不在可选项中');
    expect(JSON.stringify(r.json.card!.data)).toContain('内容：不是文本');
  });

  it('opens the next stage’s evidence form for `stage <company>` and moves the stage from the form', async () => {
    await h.larkMessage(LARK.tomReed, 'claim Lark Stage Ltd.');
    await h.larkIdle();
    const card = await openForm(LARK.tomReed, 'stage Lark Stage');
    expect(card.header!.title.content).toBe('Stage 25%');
    const r = await submit(LARK.tomReed, tokenOf(card), { contactName: 'Wang', phone: '138', email: '' });
    expect(r.json.toast).toEqual({ type: 'success', content: 'Lark Stage Ltd.: 0% → 25%.' });
  });

  it('opens a form from the bot menu (application.bot.menu_v6)', async () => {
    const r = await h.larkPost(larkBotMenu({ openId: LARK.tomReed, token: LARK_VERIFICATION_TOKEN, eventKey: 'customer.claim' }));
    expect(r.status).toBe(200);
    await h.larkIdle();
    const sent = h.fakeLark.messages.at(-1)!;
    expect(sent.receive_id).toBe(LARK.tomReed);
    expect((sent.content as unknown as Card).header!.title.content).toBe('Claim a customer');
    await h.larkPost(larkBotMenu({ openId: 'ou_xiaowang', token: LARK_VERIFICATION_TOKEN, eventKey: 'customer.claim' }));
    await h.larkIdle();
    expect(JSON.stringify(h.fakeLark.messages.at(-1)!.content)).toContain('你没有权限');
  });
});

describe('Lark card forms over the long connection', () => {
  const h = useHarness({ lark: 'ws' });

  it('answers the submit through the dispatcher with the toast and the card, as over HTTP', async () => {
    await h.kehu.lark!.dispatcher!.invoke({ schema: '2.0', header: { event_id: 'ws-claim-1', event_type: 'im.message.receive_v1', token: LARK_VERIFICATION_TOKEN, create_time: String(Date.now()) }, event: { sender: { sender_id: { open_id: LARK.tomReed }, sender_type: 'user' }, message: { message_id: 'om_ws_1', chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text: 'claim' }) } } }, { needCheck: false });
    const sent = await h.fakeLark.waitForMessage();
    const token = tokenOf(sent.content as unknown as Card);
    const answer = (await h.kehu.lark!.dispatcher!.invoke(larkFormSubmit({ openId: LARK.tomReed, token: LARK_VERIFICATION_TOKEN, value: { kehu_form: token }, formValue: { name: '' } }), { needCheck: false })) as { toast?: { content: string }; card?: unknown };
    expect(answer.toast?.content).toBe('Company: this is required');
    expect(answer.card).toBeDefined();
    const done = (await h.kehu.lark!.dispatcher!.invoke(larkFormSubmit({ openId: LARK.tomReed, token: LARK_VERIFICATION_TOKEN, value: { kehu_form: token }, formValue: { name: 'WS Robotics Ltd.' } }), { needCheck: false })) as { toast?: { content: string } };
    expect(done.toast?.content).toBe('WS Robotics Ltd. is now your customer, at stage 0%.');
  });
});
