// The digest's visitors section: the period's visits in the reader's line, the median
// minutes to a host, the visits nobody took, the walk-ins that became customers; nothing
// when there were none.
import { expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { visitorsSection } from '../../src/chat/digests/visitors.section.ts';
import type { Services } from '../../src/chat/command.ts';
import type { Digest } from '../../src/core/digests/digest.ts';
import type { VisitListItem, VisitStore } from '../../src/core/visitors/visit.ts';

const d = parseOrgText(`company: Acme
departments: [{ id: sales, name: Sales, kind: sales, head: li }]
people:
  - { id: li, name: 李娜, email: li@a.test, department: sales }
  - { id: ann, name: Ann, email: ann@a.test, department: sales, manager: li }
  - { id: out, name: Out, email: out@a.test, department: sales }
`, 'org.yaml');
const at = (min: number) => new Date(Date.parse('2026-12-07T02:00:00Z') + min * 60_000);
const visit = (id: string, hostId: string, took?: number): VisitListItem => ({ id, company: `C${id}`, headcount: 1, status: took === undefined ? 'notified' : 'coming', hostId, takenById: took === undefined ? undefined : hostId, takenAt: took === undefined ? undefined : at(took), createdAt: at(0) });
const build = (visits: VisitListItem[]) =>
  visitorsSection.build({
    digest: { recipientId: 'li', reps: [{ personId: 'ann' }], period: { from: at(-60), to: at(60 * 24 * 7) } } as unknown as Digest,
    directory: d,
    locale: 'en',
    services: { visits: { list: async () => visits } as unknown as VisitStore, digests: { walkInsClaimed: async (ids: string[]) => new Set(ids.filter((id) => id === '3')) } } as unknown as Services,
  });

it("counts the line's visits, the median minutes to a host and the ones nobody took", async () => {
  const [blocks] = await build([visit('1', 'ann', 2), visit('2', 'li', 4), visit('3', 'ann'), visit('4', 'out', 1)]);
  expect(blocks![0]).toEqual({ kind: 'text', text: 'Visitors: 3; median time to a host 3 min; nobody took 1.' });
  // C3 (nobody took it) was claimed after the visit.
  expect(blocks![1]).toEqual({ kind: 'context', text: 'Walk-ins that became customers (claimed after the visit): 1' });
  expect(blocks![2]).toEqual({ kind: 'list', items: ['2026-12-07 10:00 C3: nobody took it (host: Ann)'] });
  expect(await build([visit('4', 'out', 1)])).toEqual([]);
});
