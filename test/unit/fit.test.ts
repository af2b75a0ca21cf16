import { describe, expect, it } from 'vitest';
import { chunkLines, fitText, groupsOf } from '../../src/chat/fit.ts';
import { renderSlackPages } from '../../src/chat/render-slack.ts';

describe('fitText', () => {
  it('keeps what fits and cuts the rest with an ellipsis, within the limit', () => {
    expect(fitText('short', 10)).toBe('short');
    expect(fitText('x'.repeat(226), 100)).toBe(`${'x'.repeat(99)}…`);
  });

  it('never cuts inside a surrogate pair', () => {
    const s = `${'a'.repeat(8)}😀😀`; // the first emoji is code units 8 and 9
    const cut = fitText(s, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});

describe('chunkLines', () => {
  it('groups lines into pieces within the limit, in order, losing none', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(180, '.'));
    const chunks = chunkLines(lines, 3000);
    expect(chunks.length).toBe(2);
    expect(chunks.every((c) => c.length <= 3000)).toBe(true);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a line longer than the limit into pieces at code point boundaries', () => {
    const line = '😀'.repeat(10); // 20 code units
    const chunks = chunkLines([line], 7);
    expect(chunks.every((c) => c.length <= 7)).toBe(true);
    expect(chunks.join('')).toBe(line);
    for (const c of chunks) expect(() => encodeURIComponent(c)).not.toThrow();
  });

  it('groupsOf splits in order', () => {
    expect(groupsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('Slack pages', () => {
  it('a reply of more than 50 blocks becomes several messages of at most 50, losing no block', () => {
    const blocks = Array.from({ length: 60 }, (_, i) => ({ kind: 'text' as const, text: `row ${i}` }));
    const pages = renderSlackPages({ summary: 'Sixty', tone: 'info', blocks });
    expect(pages.map((p) => p.blocks.length)).toEqual([50, 10]);
    expect(pages.map((p) => p.text)).toEqual(['Sixty', 'Sixty (2/2)']);
  });

  it('more than 25 buttons become several actions blocks with unique action ids', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ label: `b${i}`, action: 'customer.contest' as const, value: {} }));
    const [page] = renderSlackPages({ summary: 's', tone: 'info', blocks: [{ kind: 'actions', buttons }] });
    const ids = page!.blocks.flatMap((b) => (b.elements as { action_id: string }[]).map((e) => e.action_id));
    expect(page!.blocks.map((b) => (b.elements as unknown[]).length)).toEqual([25, 5]);
    expect(new Set(ids).size).toBe(30);
  });
});
