// A built digest as replies: page 1 opens with three lines (the period in numbers, the
// thin stage, what to do) and the charts; the sections' chunks (sections.ts) follow, packed
// into pages small enough for one Slack message (50 blocks) and one Lark card (30 KB), with
// page buttons. A team of 50 reps takes about seven pages; nothing is cut off.
import { MIN_CUSTOMERS, type Diagnosis } from '../../core/digests/diagnosis.ts';
import type { Digest } from '../../core/digests/digest.ts';
import { touchTotal } from '../../core/digests/figures.ts';
import type { Stage } from '../../core/customers/funnel.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { Services } from '../command.ts';
import { dateTimeText } from '../customer-format.ts';
import { listJoin, t } from '../i18n.ts';
import type { Reply, ReplyBlock, ReplyImage } from '../reply.ts';
import { amountText, personLabel } from './digest-format.ts';
import { DIGEST_SECTIONS } from './sections.ts';

/** A page holds at most this many neutral blocks (Slack's 50 leaves room for the splits of long texts)… */
export const PAGE_BLOCKS = 30;
/** … and this many characters (a Lark card is at most 30 KB; a Chinese character is 3 bytes). */
export const PAGE_CHARS = 6000;
/** Thin reps named in the second line. */
const NAMED = 5;

export interface DigestPageRef {
  /** What the page buttons carry to rebuild the same digest. */
  value: Record<string, string>;
}

function topLines(directory: OrgDirectory, locale: Locale, digest: Digest): string[] {
  const f = digest.total.figures;
  const numbers = t(locale, 'digest.line.numbers', { claims: f.moves.claims, advances: f.moves.advances, deals: f.moves.deals, amount: amountText(locale, f.moves.dealAmount), losses: f.moves.losses, touches: touchTotal(f.touches.period) });
  const thinStage = pickThinStage(digest);
  if (thinStage === undefined) {
    const tooFew = digest.total.diagnosis.status === 'tooFew' && digest.reps.every((r) => r.diagnosis.status === 'tooFew');
    return [numbers, tooFew ? t(locale, 'digest.line.tooFew', { min: MIN_CUSTOMERS }) : t(locale, 'digest.line.healthy'), t(locale, 'digest.line.todoNone')];
  }
  const thinReps = digest.reps.filter((r) => r.diagnosis.thin?.stage === thinStage).map((r) => personLabel(directory, r.personId));
  const who = digest.scope === 'self' ? personLabel(directory, digest.recipientId) : thinReps.length ? listJoin(locale, thinReps.slice(0, NAMED)) + (thinReps.length > NAMED ? ` +${thinReps.length - NAMED}` : '') : t(locale, 'digest.who.team');
  const cause = causeOf(thinStage);
  return [numbers, t(locale, 'digest.line.thin', { stage: `${thinStage}%`, cause: t(locale, `digest.cause.${cause}`), who }), t(locale, 'digest.line.todo', { training: t(locale, `digest.training.${cause}`) })];
}

const CAUSES = { 0: 'prospecting', 25: 'leadSources', 50: 'communication', 75: 'productKnowledge', 100: 'negotiation' } as const satisfies Record<Stage, NonNullable<Diagnosis['thin']>['cause']>;
const causeOf = (s: Stage) => CAUSES[s];

/** The line's thin stage: the total's, else the one most reps are thin at (the earlier on a tie). */
function pickThinStage(digest: Digest): Stage | undefined {
  if (digest.total.diagnosis.thin) return digest.total.diagnosis.thin.stage;
  const tally = new Map<Stage, number>();
  for (const r of digest.reps) if (r.diagnosis.thin) tally.set(r.diagnosis.thin.stage, (tally.get(r.diagnosis.thin.stage) ?? 0) + 1);
  return [...tally].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

function titleOf(directory: OrgDirectory, locale: Locale, digest: Digest): string {
  const name = personLabel(directory, digest.recipientId);
  return digest.period.kind === 'weekly' ? t(locale, 'digest.title.weekly', { week: digest.period.key, name }) : t(locale, 'digest.title.daily', { day: digest.period.key, name });
}

const charsOf = (blocks: ReplyBlock[]) =>
  blocks.reduce((n, b) => n + ('text' in b ? b.text.length : b.kind === 'list' ? b.items.join('\n').length : b.kind === 'actions' ? b.buttons.reduce((m, x) => m + x.label.length + 60, 0) : 0), 0);

/** Chunks packed into pages of at most PAGE_BLOCKS blocks and PAGE_CHARS characters, in order. */
export function packPages(first: ReplyBlock[], chunks: ReplyBlock[][]): ReplyBlock[][] {
  const pages: ReplyBlock[][] = [[...first]];
  for (const chunk of chunks) {
    const page = pages[pages.length - 1]!;
    if (page.length + chunk.length > PAGE_BLOCKS || charsOf(page) + charsOf(chunk) > PAGE_CHARS) pages.push([...chunk]);
    else page.push(...chunk);
  }
  return pages;
}

export interface DigestReplyOptions {
  digest: Digest;
  directory: OrgDirectory;
  locale: Locale;
  services: Services;
  /** 1-based; past the last page gives the last. */
  page: number;
  /** What the page buttons carry (the period), besides the page. */
  pageValue: Record<string, string>;
  /** The charts, shown on page 1. */
  charts?: ReplyImage[];
}

export async function digestReply(o: DigestReplyOptions): Promise<Reply & { pages: number }> {
  const { digest, directory, locale } = o;
  const title = titleOf(directory, locale, digest);
  if (digest.scope === 'line' && digest.reps.length === 0) return headOnlyReply(o, title);
  const lines = topLines(directory, locale, digest);
  const f = digest.total.figures;
  const empty = Object.values(f.stages).every((n) => n === 0);
  const quiet = Object.values(f.moves).every((n) => n === 0) && touchTotal(f.touches.period) === 0;
  const first: ReplyBlock[] = [
    { kind: 'header', text: title },
    { kind: 'text', text: lines.join('\n') },
  ];
  if (empty && digest.scope === 'self') first.push({ kind: 'context', text: t(locale, 'digest.noCustomers') });
  else if (quiet) first.push({ kind: 'context', text: t(locale, 'digest.quiet') });
  for (const chart of o.charts ?? []) first.push({ kind: 'image', imageId: chart.id, alt: chart.alt });
  const chunks = await sectionChunks(o);
  chunks.push([
    { kind: 'context', text: t(locale, 'digest.orgNote', { time: dateTimeText(directory, digest.builtAt, locale) }) },
    { kind: 'context', text: t(locale, 'digest.rules', { min: MIN_CUSTOMERS }) },
  ]);
  return paged(o, title, `${title}: ${lines[0]}`, first, chunks);
}

async function sectionChunks(o: DigestReplyOptions): Promise<ReplyBlock[][]> {
  const chunks: ReplyBlock[][] = [];
  for (const section of DIGEST_SECTIONS) chunks.push(...(await section.build({ digest: o.digest, directory: o.directory, locale: o.locale, services: o.services })));
  return chunks;
}

/**
 * A line with nobody in it. A department's head gets the record of what they head (the
 * sections of the other capabilities; the funnel's have nothing to say, and no chart is
 * drawn); anyone else, why there is nothing.
 */
async function headOnlyReply(o: DigestReplyOptions, title: string): Promise<Reply & { pages: number }> {
  const { digest, directory, locale } = o;
  const headed = directory.org.departments.filter((d) => d.headId === digest.recipientId);
  if (!headed.length) return { ...reply(title, [{ kind: 'header', text: title }, { kind: 'text', text: t(locale, 'digest.noReps') }]), pages: 1 };
  const line = t(locale, 'digest.headOnly', { departments: listJoin(locale, headed.map((d) => d.name)) });
  const chunks = await sectionChunks(o);
  const first: ReplyBlock[] = [{ kind: 'header', text: title }, { kind: 'text', text: line }];
  if (!chunks.length) first.push({ kind: 'context', text: t(locale, 'digest.headQuiet') });
  return paged(o, title, `${title}: ${line}`, first, chunks);
}

/** The page asked for of `first` and `chunks` packed, with page buttons when there are several. */
function paged(o: DigestReplyOptions, title: string, summary: string, first: ReplyBlock[], chunks: ReplyBlock[][]): Reply & { pages: number } {
  const { locale } = o;
  const pages = packPages(first, chunks);
  const index = Math.min(Math.max(1, o.page), pages.length) - 1;
  const blocks = [...pages[index]!];
  if (index > 0) blocks.unshift({ kind: 'header', text: `${title} (${index + 1}/${pages.length})` });
  if (pages.length > 1) {
    blocks.push({ kind: 'context', text: t(locale, 'digest.page', { page: index + 1, pages: pages.length }) });
    blocks.push({
      kind: 'actions',
      buttons: pages.map((_, i) => ({ label: t(locale, 'digest.button.page', { page: i + 1 }), action: 'digest.page' as const, value: { ...o.pageValue, page: String(i + 1) }, ...(i === index ? { style: 'primary' as const } : {}) })),
    });
  }
  return { summary, tone: 'info', blocks, ...(index === 0 && o.charts?.length ? { images: o.charts } : {}), pages: pages.length };
}

function reply(summary: string, blocks: ReplyBlock[]): Reply {
  return { summary, tone: 'info', blocks };
}
