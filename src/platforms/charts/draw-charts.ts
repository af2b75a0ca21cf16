// Draws ChartSpecs with Chart.js 4 on @napi-rs/canvas (Skia, a prebuilt binary from the npm
// registry: no browser, no download) with the Noto Sans SC font from
// @fontsource-variable/noto-sans-sc, every WOFF2 slice registered under one family so that
// Chinese names and titles render (without a CJK font every Chinese glyph is a box).
// Imported only in the chart process (chart-worker.ts).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import type { ChartSpec } from '../../chat/digests/charts.ts';
import { encodePng } from './png.ts';

export const CHART_FONT = 'KehuNotoSansSC';
const PALETTE = ['#9aa5b1', '#4e79a7', '#f28e2b', '#59a14f', '#e15759'];

let ready = false;
function setUp(): void {
  if (ready) return;
  const css = createRequire(import.meta.url).resolve('@fontsource-variable/noto-sans-sc');
  const files = join(dirname(css), 'files');
  for (const file of readdirSync(files)) if (file.endsWith('.woff2')) GlobalFonts.registerFromPath(join(files, file), CHART_FONT);
  Chart.register(...registerables);
  Chart.defaults.font.family = CHART_FONT;
  ready = true;
}

const whiteBackground = {
  id: 'kehuWhiteBackground',
  beforeDraw(chart: Chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

function configOf(spec: ChartSpec): ChartConfiguration {
  const common = { responsive: false, animation: false as const, devicePixelRatio: 1, plugins: { title: { display: true, text: spec.title, font: { size: 18 } }, legend: { position: 'bottom' as const } } };
  if (spec.kind === 'stacked') {
    return {
      type: 'bar',
      data: { labels: spec.labels, datasets: spec.datasets.map((d, i) => ({ label: d.label, data: d.data, backgroundColor: PALETTE[i % PALETTE.length] })) },
      options: { ...common, indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
      plugins: [whiteBackground],
    };
  }
  return {
    type: 'line',
    data: { labels: spec.labels, datasets: spec.datasets.map((d, i) => ({ label: d.label, data: d.data, borderColor: PALETTE[(i + 1) % PALETTE.length], backgroundColor: PALETTE[(i + 1) % PALETTE.length], tension: 0.2 })) },
    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    plugins: [whiteBackground],
  };
}

export function drawCharts(specs: ChartSpec[]): Uint8Array[] {
  setUp();
  const out: Uint8Array[] = [];
  for (const spec of specs) {
    const canvas = createCanvas(spec.width, spec.height);
    // Chart.js takes any object with getContext('2d'); Skia's context is a canvas 2D one.
    const chart = new Chart(canvas as unknown as HTMLCanvasElement, configOf(spec));
    try {
      // Skia's pixels through png.ts: Skia's own PNG encoder (toBuffer, and its async
      // encode('png'), slower still) takes longer than drawing the chart.
      out.push(new Uint8Array(encodePng(canvas.data(), spec.width, spec.height)));
    } finally {
      chart.destroy();
    }
  }
  return out;
}
