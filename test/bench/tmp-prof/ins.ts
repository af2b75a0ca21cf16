import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { openDatabase } from '../../../src/db/client.ts';
const iso = (t: number) => new Date(t).toISOString().replace('Z', '+00:00');
for (const drop of [false, true, false, true]) {
  const path = `/tmp/ins-${drop}.db`;
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const d = await openDatabase(`file:${path}`, { migrate: true }); await d.close();
  const db = new Database(path); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('wal_autocheckpoint = 0');
  if (drop) db.exec('DROP INDEX "Job_status_kind_runAt_idx"');
  const ins = db.prepare(`INSERT INTO "Job" ("id","kind","payload","idempotencyKey","status","runAt","attempts","maxAttempts","createdAt","updatedAt") VALUES (?,?,?,?, 'pending', ?,0,8,?,?) ON CONFLICT ("idempotencyKey") DO NOTHING`);
  const payload = JSON.stringify({ body: { token: 'x'.repeat(20), text: 'help', response_url: 'http://127.0.0.1/x/' + 'y'.repeat(60) } });
  const now = Date.now();
  for (let i = 0; i < 20000; i++) ins.run('w' + i, 'inbox.slack', payload, 'wk' + i, iso(now), iso(now), iso(now));
  const t = performance.now();
  for (let i = 0; i < 20000; i++) ins.run('m' + i + Math.random(), 'inbox.slack', payload, 'mk' + i + Math.random(), iso(now + i), iso(now), iso(now));
  console.log(drop ? 'without new index' : 'with new index   ', ((performance.now() - t) / 20000 * 1000).toFixed(1), 'µs/insert');
  db.close();
}
