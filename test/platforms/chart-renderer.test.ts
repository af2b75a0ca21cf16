// The chart processes (platforms/charts/chart-renderer.ts): charts asked for at once are
// drawn side by side in a bounded number of processes, and each comes back as the PNG of
// its own spec, in order; a chart that cannot be drawn fails its digest, not the others.
import { afterAll, describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../src/chat/digests/charts.ts';
import { chartRenderer } from '../../src/platforms/charts/chart-renderer.ts';

const spec = (i: number): ChartSpec => ({
  id: i % 2 ? 'trend' : 'funnel',
  kind: i % 2 ? 'lines' : 'stacked',
  title: `图表 ${i}`,
  width: 400 + 10 * i,
  height: 200 + i,
  labels: ['销售一号', '销售二号'],
  datasets: [{ label: '0%', data: [i, 2 * i] }],
});
const size = (png: Uint8Array) => [Buffer.from(png).readUInt32BE(16), Buffer.from(png).readUInt32BE(20)];

describe('chart processes', () => {
  const renderer = chartRenderer({ processes: 2, idleMs: 200 });
  afterAll(() => new Promise((r) => setTimeout(r, 300)));

  it('draws many charts at once, each the PNG of its own spec, in order', { timeout: 60_000 }, async () => {
    const batches = await Promise.all([[0, 1], [2, 3], [4, 5, 6]].map((ids) => renderer.render(ids.map(spec))));
    expect(batches.map((pngs) => pngs.map(size))).toEqual([[0, 1], [2, 3], [4, 5, 6]].map((ids) => ids.map((i) => [400 + 10 * i, 200 + i])));
  });

  it('answers a spec it cannot draw with an error, and draws the next', { timeout: 60_000 }, async () => {
    await expect(renderer.render([{ ...spec(1), width: -5 }])).rejects.toThrow(/charts:/);
    expect((await renderer.render([spec(8)])).map(size)).toEqual([[480, 208]]);
  });
});
