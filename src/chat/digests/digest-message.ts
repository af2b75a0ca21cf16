// One digest, built and rendered: the use case over the services' figures, the charts (page
// 1 only), the page asked for. Shared by the `digest` command, its page buttons and the
// scheduled delivery (jobs/digests/send-digest.job.ts).
import { buildDigest } from '../../core/digests/build-digest.ts';
import { dailyPeriod, weekPeriod, type DigestPeriod } from '../../core/digests/period.ts';
import { chineseWorkingCalendar } from '../../core/time/working-days.ts';
import type { Locale, OrgDirectory, Person } from '../../core/org/org.ts';
import type { Services } from '../command.ts';
import type { Reply } from '../reply.ts';
import { digestCharts } from './charts.ts';
import { digestReply } from './digest-reply.ts';

export interface DigestMessageOptions {
  services: Services;
  directory: OrgDirectory;
  person: Person;
  locale: Locale;
  period: DigestPeriod;
  page?: number;
  /** Draw the charts (page 1). */
  charts: boolean;
  /** The instant the digest is built as of (default: now). */
  now?: Date;
  /** One of a delivery slot's digests, all as of `now` (core/digests/batch-figures.ts). */
  batch?: boolean;
}

/** What a page button carries: enough to rebuild the same period. */
export function periodValue(period: DigestPeriod): Record<string, string> {
  return { kind: period.kind, day: period.kind === 'weekly' ? period.firstDay : period.key };
}

export function periodFromValue(directory: OrgDirectory, value: { kind: string; day: string }): DigestPeriod {
  const tz = directory.org.timezone;
  return value.kind === 'daily' ? dailyPeriod(value.day, chineseWorkingCalendar(directory.org.workingHours.days), tz) : weekPeriod(value.day, tz);
}

export async function digestMessage(o: DigestMessageOptions): Promise<Reply & { pages: number }> {
  return (await digestPages({ ...o, pages: [o.page ?? 1] }))[0]!;
}

/** Several pages of one digest, built once (page 1 with the charts when asked). */
export async function digestPages(o: Omit<DigestMessageOptions, 'page'> & { pages: number[] | 'all' }): Promise<(Reply & { pages: number })[]> {
  const { services, directory, person, locale, period } = o;
  const digest = await buildDigest({ source: services.digests, directory, recipient: person, period, now: o.now ?? services.clock(), batch: o.batch });
  const wanted = o.pages === 'all' ? [1] : o.pages;
  const render = async (page: number) => {
    const charts = o.charts && page === 1 && digest.reps.length > 0 ? await digestCharts(services.charts, digest, directory, locale) : undefined;
    return digestReply({ digest, directory, locale, services, page, pageValue: periodValue(period), charts });
  };
  const replies = await Promise.all(wanted.map(render));
  if (o.pages === 'all') for (let page = 2; page <= replies[0]!.pages; page++) replies.push(await render(page));
  return replies;
}
