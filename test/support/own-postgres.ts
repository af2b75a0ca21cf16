// A PostgreSQL cluster of the test's own, for a test that restarts or stops PostgreSQL: the
// shared server at 127.0.0.1:5432 is never restarted or reconfigured (other people's tests run
// on it). initdb into a temp dir as the `postgres` OS user (the server refuses to run as root),
// pg_ctl with its own port and socket dir, trust auth on 127.0.0.1 only; stop() removes it all.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect } from '../../src/db/pg-admin.ts';
import { freePort } from './nginx.ts';
import { waitFor } from './wait-for.ts';

export const PG_BIN = process.env.KEHU_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth) */
  adminUrl: string;
  port: number;
  /** pg_ctl stop -m fast, then start again on the same port and data; resolves once it answers. */
  restart(): Promise<void>;
  /** pg_ctl stop -m fast (connections are cut), without starting again. */
  halt(): void;
  start(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  stop(): void;
}

/** Whether an own cluster can be made here: the binaries, and root to run them as `postgres` (or being `postgres`). */
export function ownPostgresPossible(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && (userInfo().uid !== 0 || spawnSync('id', ['-u', 'postgres']).status === 0);
}

export async function startOwnPostgres(o: { maxConnections?: number } = {}): Promise<OwnPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'kehu-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'run');
  const asRoot = userInfo().uid === 0;
  const run = (bin: string, args: string[]) => {
    const command = asRoot ? ['runuser', '-u', 'postgres', '--', join(PG_BIN, bin), ...args] : [join(PG_BIN, bin), ...args];
    const r = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stdout}${r.stderr}`);
  };
  spawnSync('mkdir', ['-p', sockets]);
  if (asRoot) {
    const ids = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, ids('-u'), ids('-g'));
    chownSync(sockets, ids('-u'), ids('-g'));
  }
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = [`-p ${port}`, `-k ${sockets}`, "-c listen_addresses=127.0.0.1", '-c fsync=off', `-c max_connections=${o.maxConnections ?? 100}`].join(' ');
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
    await waitFor(() => canConnect(adminUrl, 1_000), { what: `the own PostgreSQL on ${port}`, timeoutMs: 30_000 });
  };
  const halt = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  try {
    await start();
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    adminUrl,
    port,
    start,
    halt,
    async restart() {
      halt();
      await start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        halt();
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
