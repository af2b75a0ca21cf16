// Nightly housekeeping trims what only grows: old inbound delivery ids and old finished
// jobs go; recent ones, pending jobs and dead jobs stay.
import { expect, it } from 'vitest';
import { markInboundEventSeen } from '../../src/db/repositories/inbound-event.repository.ts';
import { housekeepingJob } from '../../src/jobs/housekeeping.job.ts';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from '../db/databases.ts';

const NOW = new Date('2026-12-01T03:30:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 24 * 60 * 60 * 1000);

describeEachDatabase('housekeeping', (getDb) => {
  it('drops inbound ids older than a week and done jobs older than a month, nothing else', async () => {
    const db = getDb();
    await markInboundEventSeen(db, 'slack', 'Ev-old');
    await markInboundEventSeen(db, 'slack', 'Ev-new');
    await db.prisma.inboundEvent.update({ where: { platform_eventId: { platform: 'slack', eventId: 'Ev-old' } }, data: { receivedAt: daysAgo(8) } });
    await db.prisma.inboundEvent.update({ where: { platform_eventId: { platform: 'slack', eventId: 'Ev-new' } }, data: { receivedAt: daysAgo(6) } });
    for (const key of ['done-old', 'done-new', 'dead-old', 'pending']) {
      await enqueueJob(db.prisma, { kind: 'k', payload: null, runAt: daysAgo(40), idempotencyKey: key });
    }
    await db.prisma.job.update({ where: { idempotencyKey: 'done-old' }, data: { status: 'done', doneAt: daysAgo(31) } });
    await db.prisma.job.update({ where: { idempotencyKey: 'done-new' }, data: { status: 'done', doneAt: daysAgo(29) } });
    await db.prisma.job.update({ where: { idempotencyKey: 'dead-old' }, data: { status: 'dead', doneAt: daysAgo(40) } });

    await housekeepingJob.handler(null, { id: 'x', kind: 'housekeeping', attempts: 1, maxAttempts: 8, idempotencyKey: 'x' }, { db, clock: () => NOW });

    expect((await db.prisma.inboundEvent.findMany({ select: { eventId: true } })).map((e) => e.eventId)).toEqual(['Ev-new']);
    expect((await listJobs(db)).map((j) => j.idempotencyKey).sort()).toEqual(['dead-old', 'done-new', 'pending']);
  });
});
