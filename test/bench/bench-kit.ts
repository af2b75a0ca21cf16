// What every benchmark shares: the Bench shape run.ts drives, servers in child processes,
// a closed-loop load generator over keep-alive HTTP (node:http, so the client adds as
// little as possible), percentiles and a plain-text table.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export interface BenchOptions {
  /** Measured requests per cell. */
  requests: number;
  warmup: number;
}

export interface BenchCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface BenchResult {
  /** Printed as it is. */
  report: string;
  checks: BenchCheck[];
}

export interface Bench {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchResult>;
}

export interface HttpShot {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  /** Client round trips (request written → response fully read), milliseconds, in order. */
  latencies: number[];
  /** Status code → count */
  statuses: Map<number, number>;
  seconds: number;
}

/**
 * Sends `total` requests with `concurrency` in flight (each worker sends its next as soon as
 * the previous answer is read). `shot(i)` builds request i outside the timed section.
 */
export async function runLoad(o: { url: string; concurrency: number; total: number; shot: (i: number) => HttpShot }): Promise<LoadResult> {
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const one = (shot: HttpShot) =>
    new Promise<number>((resolve, reject) => {
      const body = Buffer.from(shot.body);
      const started = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, method: shot.method, path: shot.path, agent, headers: { ...shot.headers, 'content-length': String(body.length) } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies.push(performance.now() - started);
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            resolve(res.statusCode ?? 0);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < o.total; i = next++) await one(o.shot(i));
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, statuses, seconds };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The node command package.json's `start` script runs (after its build): environment, node flags and script. */
export function productionCommand(): { env: Record<string, string>; args: string[] } {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.slice(start.lastIndexOf('&&') + 2).trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0]?.includes('=')) {
    const [key, value] = words.shift()!.split('=');
    env[key!] = value!;
  }
  if (words.shift() !== 'exec' || words.shift() !== 'node') throw new Error(`bench: cannot read the node command of "${start}"`);
  return { env, args: words };
}

/** Resident memory of a process and all its threads (Linux /proc), MB; NaN elsewhere. */
export function rssMb(pid: number): number {
  try {
    const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const ms = (n: number) => n.toFixed(2);

/** Command i of a mix of reads and writes; every seventh a claim (a transaction) of a new company. */
export const mixedCommand = (i: number) => (i % 7 === 6 ? `claim 负载测试公司${i}` : ['help', 'whoami', 'who 华为', 'mine', 'pool', '帮助'][i % 7]!);

export interface ServerSample {
  /** CPU time the server process has used so far (user + system), milliseconds. */
  cpuMs: number;
  /** CPU time of its main thread alone (the one that accepts and acks), milliseconds. */
  mainCpuMs: number;
  /** The server's event-loop delay since the previous sample, milliseconds. */
  loop: { p99: number; max: number };
}

export interface ChildServer {
  url: string;
  pid: number;
  sample(): Promise<ServerSample>;
  stop(): Promise<void>;
}

/**
 * Starts test/bench/bench-server.ts in its own Node process and waits for its URL.
 * `nice`: a scheduling priority for a process that stands for a remote service (the fake
 * Slack): in production its work runs on the platform's machines, not beside kehu.
 */
export async function spawnServer(kind: string, args: Record<string, unknown> = {}, o: { nice?: number; production?: boolean } = {}): Promise<ChildServer> {
  const entry = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  // `production`: the node flags and environment of `npm start` (what kehu runs with).
  const run = o.production ? productionCommand() : { env: {}, args: [] };
  const flags = run.args.filter((a) => a.startsWith('--'));
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', entry, kind, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], env: { ...process.env, ...run.env } });
  if (o.nice !== undefined && child.pid !== undefined) setPriority(child.pid, o.nice);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`bench server ${kind} exited (${code}) before it was ready`)));
  });
  return {
    url,
    pid: child.pid!,
    sample: () =>
      new Promise<ServerSample>((resolve) => {
        child.once('message', (m) => {
          const { cpu, mainNs, loop } = m as { cpu: { user: number; system: number }; mainNs: number; loop: ServerSample['loop'] };
          resolve({ cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs: mainNs / 1e6, loop });
        });
        child.send('cpu');
      }),
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One request; resolves with its status once the answer is read. */
export function post(agent: Agent, url: string, shot: HttpShot): Promise<number> {
  const target = new URL(url);
  const body = Buffer.from(shot.body);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method: shot.method, path: shot.path, agent, headers: { ...shot.headers, 'content-length': String(body.length) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
