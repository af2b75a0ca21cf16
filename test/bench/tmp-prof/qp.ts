import Database from 'better-sqlite3';
import { openDatabase } from '../../../src/db/client.ts';
const path = '/tmp/qp.db';
import { rmSync } from 'node:fs';
rmSync(path, { force: true }); rmSync(path + '-wal', { force: true });
const d = await openDatabase(`file:${path}`, { migrate: true }); await d.close();
const db = new Database(path);
const iso = (t: number) => new Date(t).toISOString().replace('Z', '+00:00');
const ins = db.prepare(`INSERT INTO "Job" ("id","kind","payload","idempotencyKey","status","runAt","attempts","maxAttempts","createdAt","updatedAt","doneAt") VALUES (?,?,?,?,?,?,0,8,?,?,?)`);
const now = Date.now();
db.transaction(() => {
  for (let i = 0; i < 100000; i++) ins.run('d' + i, 'inbox.slack', '{}', 'k' + i, 'done', iso(now - 1e6 + i), iso(now), iso(now), iso(now));
  for (let i = 0; i < 80000; i++) ins.run('p' + i, 'inbox.slack', '{}', 'pk' + i, 'pending', iso(now - 1e5 + i), iso(now), iso(now), null);
  for (let i = 0; i < 2000; i++) ins.run('n' + i, 'notify.person', '{}', 'nk' + i, 'pending', iso(now + 1e7 + i), iso(now), iso(now), null);
})();
db.exec('ANALYZE');
const q = (kinds: string) => `SELECT "id" FROM "Job" WHERE (("status" = 'pending' AND "runAt" <= ?) OR ("status" = 'running' AND "leaseUntil" <= ?)) ${kinds} ORDER BY "runAt" LIMIT 4`;
for (const k of [`AND "kind" IN ('inbox.slack','inbox.lark')`, `AND "kind" NOT IN ('inbox.slack','inbox.lark')`]) {
  console.log(db.prepare('EXPLAIN QUERY PLAN ' + q(k)).all(iso(now), iso(now)));
  const st = db.prepare(q(k)); const t = performance.now(); for (let i = 0; i < 200; i++) st.all(iso(now), iso(now)); console.log(k, ((performance.now() - t) / 200).toFixed(3), 'ms');
}
const br = (where: string, order: string) => `SELECT "id", "runAt" FROM (SELECT "id", "runAt" FROM "Job" WHERE ${where} ORDER BY "${order}" LIMIT 4) AS b`;
const NOW = `'${iso(now)}'`;
for (const kinds of [['inbox.slack', 'inbox.lark'], ['notify.person','message.update','pool.sweep','housekeeping','digest.schedule','digest.send','visitor.check','visitor.retention','notify.channel','handover.morning','handover.leavers','handover.visitReminder','request.sweep']]) {
  const parts = kinds.map((k) => br(`"status" = 'pending' AND "kind" = '${k}' AND "runAt" <= ${NOW}`, 'runAt'));
  parts.push(br(`"status" = 'running' AND "leaseUntil" <= ${NOW} AND "kind" IN (${kinds.map((k) => `'${k}'`).join(',')})`, 'leaseUntil'));
  const sql = `SELECT "id" FROM (${parts.join(' UNION ALL ')}) AS due ORDER BY "runAt" LIMIT 4`;
  const t = performance.now(); let r; for (let i = 0; i < 500; i++) r = db.prepare(sql).all();
  console.log(kinds.length, 'kinds, prepare+run', ((performance.now() - t) / 500).toFixed(3), 'ms', r!.length);
}
{
  const sql = `SELECT "id" FROM (${br(`"status" = 'pending' AND "runAt" <= ${NOW} AND "kind" NOT IN ('inbox.slack','inbox.lark')`, 'runAt')}) AS due ORDER BY "runAt" LIMIT 4`;
  const t = performance.now(); for (let i = 0; i < 50; i++) db.prepare(sql).all();
  console.log('not in, prepare+run', ((performance.now() - t) / 50).toFixed(3), 'ms');
}
