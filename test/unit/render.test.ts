import { describe, expect, it } from 'vitest';
import { renderLark } from '../../src/chat/render-lark.ts';
import { escapeMrkdwn, renderSlack, slackActionName } from '../../src/chat/render-slack.ts';
import { renderText } from '../../src/chat/render-text.ts';
import type { Reply } from '../../src/chat/reply.ts';

const sample: Reply = {
  summary: 'Acme <Ltd> is yours',
  tone: 'success',
  blocks: [
    { kind: 'header', text: '华为技术 *Co*' },
    { kind: 'text', text: 'Owner: A & B <x>' },
    { kind: 'fields', fields: [{ label: 'Stage', value: '25%' }, { label: '负责人', value: '张伟' }] },
    { kind: 'list', items: ['one', 'two'] },
    { kind: 'divider' },
    { kind: 'actions', buttons: [{ label: 'Contest', action: 'customer.contest', value: { id: 'c1' }, style: 'danger' }, { label: 'OK', action: 'customer.claimAnyway', value: {} }] },
    { kind: 'context', text: 'since 2026-11-25' },
  ],
};

describe('renderers', () => {
  it('renders Block Kit with escaped mrkdwn, fields and routable buttons', () => {
    const m = renderSlack(sample);
    expect(m.text).toBe('Acme <Ltd> is yours');
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'divider', 'actions', 'context']);
    expect(m.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Owner: A &amp; B &lt;x&gt;' } });
    expect((m.blocks[2] as { fields: unknown[] }).fields).toEqual([
      { type: 'mrkdwn', text: '*Stage*\n25%' },
      { type: 'mrkdwn', text: '*负责人*\n张伟' },
    ]);
    const buttons = (m.blocks[5] as { elements: { action_id: string; value: string; style?: string }[] }).elements;
    expect(buttons[0]).toMatchObject({ action_id: 'kehu:customer.contest:0', value: '{"id":"c1"}', style: 'danger' });
    expect(slackActionName(buttons[0]!.action_id)).toBe('customer.contest');
    expect(slackActionName('other:x')).toBeUndefined();
  });

  it('escapes mrkdwn: & < > as entities, * _ ~ ` wrapped in zero-width spaces', () => {
    expect(escapeMrkdwn('A&B <x> *b* _i_ ~s~ `c`')).toBe('A&amp;B &lt;x&gt; \u200b*\u200bb\u200b*\u200b \u200b_\u200bi\u200b_\u200b \u200b~\u200bs\u200b~\u200b \u200b`\u200bc\u200b`\u200b');
    expect(escapeMrkdwn('华为 (Shanghai) Co.')).toBe('华为 (Shanghai) Co.');
  });

  it('splits more than ten fields into several sections and clips long headers', () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ label: `f${i}`, value: String(i) }));
    const m = renderSlack({ summary: 's', tone: 'info', blocks: [{ kind: 'header', text: 'x'.repeat(200) }, { kind: 'fields', fields }] });
    expect(m.blocks).toHaveLength(3);
    expect(((m.blocks[0] as { text: { text: string } }).text.text)).toHaveLength(150);
  });

  it('renders a Lark JSON 2.0 card with header colour, escaped markdown and callback buttons', () => {
    const card = renderLark(sample);
    expect(card.schema).toBe('2.0');
    expect(card.config.update_multi).toBe(true);
    expect(card.header).toEqual({ title: { tag: 'plain_text', content: '华为技术 *Co*' }, template: 'green' });
    expect(card.body.elements[0]).toEqual({ tag: 'markdown', content: 'Owner: A & B \\<x>' });
    expect(renderLark({ summary: 's', tone: 'info', blocks: [{ kind: 'text', text: '- A*B (Shanghai)\n# not a title' }] }).body.elements[0]).toEqual({
      tag: 'markdown',
      content: '\\- A\\*B (Shanghai)\n\\# not a title',
    });
    expect(card.body.elements[1]).toEqual({ tag: 'markdown', content: '**Stage**: 25%\n**负责人**: 张伟' });
    const row = card.body.elements[4] as { columns: { elements: { behaviors: unknown[]; type: string }[] }[] };
    expect(row.columns[0]!.elements[0]!.behaviors).toEqual([{ type: 'callback', value: { id: 'c1', kehu_action: 'customer.contest' } }]);
    expect(row.columns[0]!.elements[0]!.type).toBe('danger');
  });

  it('renders terminal text with numbered buttons', () => {
    const { text, buttons } = renderText(sample);
    expect(text.split('\n')[0]).toBe('✓ 华为技术 *Co*');
    expect(text).toContain('  Stage   25%');
    expect(text).toContain('  负责人  张伟');
    expect(text).toContain('[1] Contest   [2] OK');
    expect(buttons.map((b) => b.action)).toEqual(['customer.contest', 'customer.claimAnyway']);
  });
});
