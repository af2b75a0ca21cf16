// Several worker processes on one database, as replicas would run: every job is delivered
// exactly once, and a worker killed mid-send gives its jobs up only when its lease expires.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeEachDatabase } from '../db/databases.ts';

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const JOBS = 500;

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then((code) => reject(new Error(`worker child exited (${code}) before ready:\n${stderr}`)));
  });
  return { process: child, ready, exited, stderr: () => stderr };
}

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describeEachDatabase('worker processes', (getDb, _provider, getTarget) => {
  let dir: string;
  let children: Child[] = [];

  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
    dir = mkdtempSync(join(tmpdir(), 'kehu-workers-'));
    children = [];
  });

  afterEach(async () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const launch = (owner: string, extra: Record<string, string> = {}) => {
    const child = startChild({
      KEHU_CHILD_DATABASE_URL: getTarget().url,
      KEHU_CHILD_OWNER: owner,
      KEHU_CHILD_OUT: join(dir, 'deliveries.log'),
      ...extra,
    });
    children.push(child);
    return child;
  };

  it(`two processes deliver ${JOBS} jobs, each exactly once`, async () => {
    const workers = [launch('w1'), launch('w2')];
    await Promise.all(workers.map((w) => w.ready));

    // One statement, so both workers find all the jobs due at the same moment (enqueueJob's
    // own behaviour is covered in job.repository.test.ts).
    const now = new Date();
    await getDb().prisma.job.createMany({
      data: Array.from({ length: JOBS }, (_, i) => ({
        id: `bulk-${String(i).padStart(4, '0')}`,
        kind: 'test.deliver',
        payload: JSON.stringify({ i }),
        idempotencyKey: `bulk:${i}`,
        runAt: now,
      })),
    });
    await waitFor(async () => (await getDb().prisma.job.count({ where: { status: 'done' } })) === JOBS, {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: `all ${JOBS} jobs done`,
    });
    for (const w of workers) w.process.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);

    const lines = readLines(join(dir, 'deliveries.log')).map((line) => line.split(' '));
    const perJob = new Map<string, number>();
    for (const [id] of lines) perJob.set(id!, (perJob.get(id!) ?? 0) + 1);
    expect(perJob.size).toBe(JOBS);
    expect([...perJob.values()].every((n) => n === 1)).toBe(true);
    const owners = new Set(lines.map(([, owner]) => owner));
    expect(owners).toEqual(new Set(['w1', 'w2']));
    const jobs = await listJobs(getDb());
    expect(jobs.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
  }, 60_000);

  it('a worker killed mid-send loses its jobs only when the lease expires; another delivers each once', async () => {
    const leaseMs = 2000;
    const n = 5;
    for (let i = 0; i < n; i++) {
      await enqueueJob(getDb().prisma, {
        kind: 'test.deliver',
        payload: { i },
        runAt: new Date(),
        idempotencyKey: `crash:${i}`,
      });
    }
    const doomed = launch('doomed', { KEHU_CHILD_MODE: 'hang', KEHU_CHILD_LEASE_MS: String(leaseMs) });
    await waitFor(() => readLines(join(dir, 'deliveries.log')).length === n, {
      timeoutMs: 15_000,
      what: `the doomed worker starts all ${n} jobs`,
    });
    const leased = await listJobs(getDb());
    expect(leased.every((j) => j.status === 'running' && j.leaseOwner === 'doomed')).toBe(true);
    const leaseEnds = new Map(leased.map((j) => [j.id, j.leaseUntil!.getTime()]));

    doomed.process.kill('SIGKILL');
    await doomed.exited;
    const rescuer = launch('rescuer');
    await rescuer.ready;

    await waitFor(async () => (await getDb().prisma.job.count({ where: { status: 'done' } })) === n, {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: 'the rescuer delivers every job',
    });
    rescuer.process.kill('SIGTERM');
    expect(await rescuer.exited).toBe(0);

    const deliveries = readLines(join(dir, 'deliveries.log'))
      .filter((line) => !line.startsWith('started '))
      .map((line) => line.split(' '));
    expect(deliveries.map(([id]) => id).sort()).toEqual([...leaseEnds.keys()].sort());
    for (const [id, owner, atMs] of deliveries) {
      expect(owner).toBe('rescuer');
      expect(Number(atMs)).toBeGreaterThanOrEqual(leaseEnds.get(id!)!);
    }
    const done = await listJobs(getDb());
    expect(done.map((j) => [j.status, j.attempts, j.leaseOwner])).toEqual(Array(n).fill(['done', 2, null]));
  }, 60_000);
});
