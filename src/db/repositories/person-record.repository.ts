// The person records: the org file's people as kehu last saw them, so that someone removed
// from the file is still known by name, manager and department (OrgDirectory.formerPerson):
// their customers' notice reaches their manager, who may hand them over. Written at every
// start and reload: the current people replace their rows (one transaction, multi-row
// upserts), the rows of people no longer listed stay as they were last seen.
import type { FormerPerson, Person } from '../../core/org/org.ts';
import type { Database } from '../client.ts';
import { bulkInsert } from './bulk-insert.ts';

const COLUMNS = ['id', 'name', 'managerId', 'departmentId', 'seenAt'] as const;

/** Records `people` as seen at `at`; answers everyone recorded earlier who is not among them. */
export async function rememberPeople(db: Database, people: readonly Person[], at: Date): Promise<Map<string, FormerPerson>> {
  const ids = people.map((p) => p.id);
  const insert = bulkInsert(db.provider);
  // An upsert, not delete-then-insert: replicas starting (or reloading) at the same moment each
  // write every row, and on PostgreSQL the second's DELETE cannot see the first's new rows, so
  // its INSERT broke the primary key and the replica refused to start.
  await db.prisma.$transaction(async (tx) => {
    await insert(tx, 'PersonRecord', COLUMNS, people.map((p) => [p.id, p.name, p.managerId ?? null, p.departmentId || null, at]), 'id');
  });
  const former = await db.prisma.personRecord.findMany({ where: { id: { notIn: ids } }, select: { id: true, name: true, managerId: true, departmentId: true } });
  return new Map(former.map((r) => [r.id, { id: r.id, name: r.name, managerId: r.managerId ?? undefined, departmentId: r.departmentId ?? undefined }]));
}
