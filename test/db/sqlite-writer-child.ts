// A second process writing to the SQLite file of the test that starts it: after "go" on
// stdin it runs KEHU_CHILD_TX read-then-write transactions and prints "ok <n> failed <m>".
// Until then it has the file open, as a running kehu would.
import { once } from 'node:events';
import { openDatabase } from '../../src/db/client.ts';
import { runReadThenWriteTransactions } from './sqlite-writers.ts';

const db = await openDatabase(process.env.KEHU_CHILD_DATABASE_URL ?? '');
// A first read, as a running kehu has done: from then on its connection holds SQLite's shared
// lock on the file (what keeps the schema engine's exclusive mode out), idle or not.
await db.prisma.job.count().catch(() => undefined); // a file not migrated yet has no table
console.log('ready');
await once(process.stdin, 'data');
const { ok, failed } = await runReadThenWriteTransactions(db, 'child', Number(process.env.KEHU_CHILD_TX ?? 50));
console.log(`ok ${ok} failed ${failed.length}${failed.length ? `: ${failed[0]}` : ''}`);
await db.close();
process.exit(0);
