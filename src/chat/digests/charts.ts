// The digest's two charts as data: the funnel of each rep beside the team's shape (scaled
// to an average rep) and the line's last 12 weeks. Pure: the specs are what a chart is
// drawn from (and what a test checks); a ChartRenderer (platforms/charts/) turns them into
// PNGs, in a short-lived child process, with the CJK font.
import { STAGES } from '../../core/customers/funnel.ts';
import type { Digest } from '../../core/digests/digest.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import { t } from '../i18n.ts';
import type { ReplyImage } from '../reply.ts';
import { countsText, personLabel } from './digest-format.ts';

export interface ChartDataset {
  label: string;
  data: number[];
}

export interface ChartSpec {
  id: 'funnel' | 'trend';
  /** 'stacked': horizontal stacked bars (one per label); 'lines': one line per dataset. */
  kind: 'stacked' | 'lines';
  title: string;
  width: number;
  height: number;
  labels: string[];
  datasets: ChartDataset[];
}

export interface ChartRenderer {
  /** One PNG per spec, in order. */
  render(specs: ChartSpec[]): Promise<Uint8Array[]>;
}

export const CHART_WIDTH = 1000;
/** Height of the funnel chart: room for each bar, within what a chat client shows well. */
export const funnelHeight = (bars: number) => Math.min(2400, 140 + 26 * bars);

export function digestChartSpecs(digest: Digest, directory: OrgDirectory, locale: Locale): ChartSpec[] {
  const reps = digest.reps;
  const labels = reps.map((r) => personLabel(directory, r.personId));
  const data = STAGES.map((s) => reps.map((r) => r.figures.stages[s]));
  if (digest.scope === 'line' && reps.length > 0) {
    // The team's shape at the size of an average rep: each rep's bar beside the team's.
    const total = digest.total.figures.stages;
    labels.push(t(locale, 'digest.chart.teamShape'));
    STAGES.forEach((s, i) => data[i]!.push(Math.round((total[s] / reps.length) * 10) / 10));
  }
  const name = personLabel(directory, digest.recipientId);
  const funnel: ChartSpec = {
    id: 'funnel',
    kind: 'stacked',
    title: t(locale, 'digest.chart.funnelTitle', { name }),
    width: CHART_WIDTH,
    height: funnelHeight(labels.length),
    labels,
    datasets: STAGES.map((s, i) => ({ label: `${s}%`, data: data[i]! })),
  };
  const s = digest.series;
  const trend: ChartSpec = {
    id: 'trend',
    kind: 'lines',
    title: t(locale, 'digest.chart.trendTitle'),
    width: CHART_WIDTH,
    height: 450,
    labels: s.map((w) => w.week),
    datasets: [
      { label: t(locale, 'digest.chart.claims'), data: s.map((w) => w.claims) },
      { label: t(locale, 'digest.chart.advances'), data: s.map((w) => w.advances) },
      { label: t(locale, 'digest.chart.deals'), data: s.map((w) => w.deals) },
      { label: t(locale, 'digest.chart.touches'), data: s.map((w) => w.touches) },
    ],
  };
  return [funnel, trend];
}

/** The specs drawn by `renderer`, as the reply's images. */
export async function digestCharts(renderer: ChartRenderer, digest: Digest, directory: OrgDirectory, locale: Locale): Promise<ReplyImage[]> {
  const specs = digestChartSpecs(digest, directory, locale);
  const pngs = await renderer.render(specs);
  const stamp = `${digest.recipientId.replace(/[^\w.-]/g, '_')}-${digest.period.key}`;
  return specs.map((spec, i) => ({
    id: spec.id,
    filename: `digest-${stamp}-${spec.id}.png`,
    title: spec.title,
    alt: spec.id === 'funnel' ? t(locale, 'digest.chart.funnelAlt', { total: countsText(digest.total.figures.stages) }) : t(locale, 'digest.chart.trendAlt'),
    png: pngs[i]!,
  }));
}
