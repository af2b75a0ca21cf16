// The digest's flagged pauses on both databases, from what the pause audit leaves (its
// notices to the head): requests of one department paused right after the requester's
// comment and paused too long, counted per department in the week they were flagged, for
// the department's head and for the requesters' line; another week, another department,
// another line count nothing.
import { expect, it, vi } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { actOnRequest } from '../../src/core/requests/act-on-request.ts';
import type { Catalog } from '../../src/core/requests/catalog.ts';
import { parseCatalogText } from '../../src/config/catalog-file.ts';
import { commentOnRequest } from '../../src/core/requests/comment-on-request.ts';
import { submitRequest } from '../../src/core/requests/submit-request.ts';
import { sweepRequestAlerts } from '../../src/core/requests/sweep-request-alerts.ts';
import { weekPeriod } from '../../src/core/digests/period.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createDigestSource } from '../../src/db/repositories/digest.repository.ts';
import { createRequestStore } from '../../src/db/repositories/service-request.repository.ts';
import { describeEachDatabase } from './databases.ts';

vi.setConfig({ testTimeout: 20_000 });

const d = parseOrgText(`company: Acme
timezone: Asia/Shanghai
departments:
  - { id: sales, name: 销售部, kind: sales, head: mei }
  - { id: admin, name: 行政部, kind: function, head: chen }
people:
  - { id: mei, name: 林梅, email: mei@acme.test, department: sales }
  - { id: tom, name: Tom Reed, email: tom@acme.test, department: sales, manager: mei, roles: [rep] }
  - { id: chen, name: 陈刚, email: chen@acme.test, department: admin }
  - { id: li.na, name: 李娜, email: li.na@acme.test, department: admin, manager: chen }
`, 'org.yaml');
// The catalog's defaults otherwise; a pause may last 2 working days.
const catalog: Catalog = parseCatalogText(
  `services:
  - { key: materials, name: { en: Materials, zh-CN: 资料 }, department: admin, targets: { firstResponse: 2h, resolution: 1d }, leadTimeDays: 1, assign: rotation, maxPause: 2d }
`,
  'catalog.yaml',
  d,
);
const materials = catalog.services[0]!;
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const TZ = 'Asia/Shanghai';

describeEachDatabase('flagged pauses in the digest', (getDb) => {
  it('counts the pause audit’s flags per department, for its head and for the requesters’ line, in the week they were flagged', async () => {
    const requests = createRequestStore(getDb());
    const submit = async (now: Date) => (await submitRequest({ requests, customers: createCustomerStore(getDb()), directory: d, requester: d.person('tom')!, service: materials, values: {}, now })).request;
    const act = async (id: string, kind: 'take' | 'wait', now: Date) => actOnRequest({ requests, directory: d, catalog, actor: d.person('li.na')!, requestId: id, version: (await requests.get(id))!.version, action: { kind }, now });
    // Monday 2026-12-14: one paused three minutes after Tom's comment (flagged at once), and
    // too long by Wednesday (flagged by the sweep); another paused with no comment, resumed by nothing, flagged too long.
    const first = await submit(sh('2026-12-14 10:00'));
    await act(first.id, 'take', sh('2026-12-14 10:05'));
    await commentOnRequest({ requests, directory: d, actor: d.person('tom')!, request: { number: first.number }, text: 'Here is the logo', now: sh('2026-12-14 10:30') });
    await act(first.id, 'wait', sh('2026-12-14 10:33'));
    const second = await submit(sh('2026-12-14 11:00'));
    await act(second.id, 'take', sh('2026-12-14 11:05'));
    await act(second.id, 'wait', sh('2026-12-14 11:10'));
    await sweepRequestAlerts({ requests, directory: d, catalog, now: sh('2026-12-16 12:00') });

    const source = createDigestSource(getDb());
    const week = weekPeriod('2026-12-14', TZ);
    expect(await source.flaggedPauses({ scope: { departmentIds: ['admin'] }, from: week.from, to: week.to })).toEqual(new Map([['admin', 3]]));
    expect(await source.flaggedPauses({ scope: { requesterIds: ['tom', 'mei'] }, from: week.from, to: week.to })).toEqual(new Map([['admin', 3]]));
    // Not the department, not the line, not the week.
    expect(await source.flaggedPauses({ scope: { departmentIds: ['sales'] }, from: week.from, to: week.to })).toEqual(new Map());
    expect(await source.flaggedPauses({ scope: { requesterIds: ['mei'] }, from: week.from, to: week.to })).toEqual(new Map());
    const before = weekPeriod('2026-12-07', TZ);
    expect(await source.flaggedPauses({ scope: { departmentIds: ['admin'] }, from: before.from, to: before.to })).toEqual(new Map());
  });
});
