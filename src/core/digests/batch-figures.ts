// The digests of one delivery slot (every manager's on a Monday at 09:00) are built as of
// the same instant: instead of each line asking the database for its own people (50
// managers, 50 sets of the same grouped queries over slices of the same tables), the first
// of them asks once for everyone — one grouped aggregate per table over the whole org —
// and every line is sliced from that in memory. What is kept is aggregates per person
// (a few hundred numbers each), never rows; a batch is keyed by its period and instant,
// so a digest built at another instant (an on-demand `digest`) never sees another's figures.
import type { DigestSource, RepFigures } from './digest.ts';
import { emptyFigures } from './figures.ts';

/**
 * A slot's digests (every manager's at Monday 09:00) run within this of their time are built
 * as of it, together: one batch. One run later than that (kehu was down, the queue was long)
 * is built as of its own time, alone.
 */
export const DIGEST_BATCH_WINDOW_MS = 15 * 60_000;

/** The instant a delivery of slot `slot` (ISO) builds as of when run at `now`, and whether it is one of its slot's batch. */
export function digestInstant(slot: string | undefined, now: Date): { now: Date; batch: boolean } {
  const at = slot ? new Date(slot) : undefined;
  if (at && now >= at && now.getTime() - at.getTime() <= DIGEST_BATCH_WINDOW_MS) return { now: at, batch: true };
  return { now, batch: false };
}

/** Batches kept (a holiday can make two weekly slots fall on one morning; daily ones beside them). */
export const BATCHES_KEPT = 4;

/** `source`, with the queries marked `batch` answered from one org-wide pass per period and instant. */
export function batchedDigestSource(source: DigestSource, kept = BATCHES_KEPT): DigestSource {
  const batches = new Map<string, Promise<Map<string, RepFigures>>>();
  const once = (key: string, compute: () => Promise<Map<string, RepFigures>>) => {
    const hit = batches.get(key);
    if (hit) {
      // Most recently used last: the oldest batch goes first.
      batches.delete(key);
      batches.set(key, hit);
      return hit;
    }
    const computed = compute();
    // A failed pass is not kept: the job that retries asks again.
    computed.catch(() => batches.get(key) === computed && batches.delete(key));
    batches.set(key, computed);
    while (batches.size > kept) batches.delete(batches.keys().next().value!);
    return computed;
  };
  return {
    async figures(q) {
      if (!q.batch || q.personIds === 'everyone') return source.figures(q);
      const iso = (r: { from: Date; to: Date }) => `${r.from.toISOString()}/${r.to.toISOString()}`;
      const key = `${iso(q.period)}@${q.now.toISOString()}:${q.weeks.map(iso).join(',')}`;
      const all = await once(key, () => source.figures({ ...q, personIds: 'everyone' }));
      return new Map(q.personIds.map((id) => [id, all.get(id) ?? emptyFigures(q.weeks)]));
    },
    atRisk: (q) => source.atRisk(q),
    flaggedPauses: (q) => source.flaggedPauses(q),
    walkInsClaimed: (ids) => source.walkInsClaimed(ids),
    handoversCompleted: (q) => source.handoversCompleted(q),
  };
}
