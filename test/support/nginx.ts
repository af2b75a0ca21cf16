// nginx in front of kehu replicas, as manifests/deploy/nginx-kehu.conf sets it up for an admin:
// Debian's nginx (/usr/sbin/nginx; .ci/run installs it) in the foreground (`daemon off`) from a
// config written to a temp dir, everything it writes (error log, pid, temp files) inside that
// dir, on a free 127.0.0.1 port, round-robin (no sticky sessions) to the upstreams on
// /slack/events, /lark/events and /healthz. The site part is the deploy file itself, with its
// upstream servers and listen port replaced: the tests run the config an admin installs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './kehu-process.ts';
import { waitFor } from './wait-for.ts';

export const NGINX = process.env.KEHU_NGINX ?? '/usr/sbin/nginx';
export const NGINX_SITE = join(ROOT, 'manifests/deploy/nginx-kehu.conf');

export interface Nginx {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** nginx's error log so far (upstream failures are logged there). */
  errorLog(): string;
  /** SIGQUIT (graceful: finish what is in flight), SIGKILL after 5 s; removes the temp dir. */
  stop(): Promise<void>;
}

/**
 * A port nothing listens on now, below the kernel's ephemeral range (ip_local_port_range): a
 * port the kernel picks for `listen(0)` may be handed out a moment later as the local port of
 * an outgoing connection (to PostgreSQL, nginx's to an upstream), and then a server that must
 * listen on that number again (a replica restarted on its port) finds it taken.
 */
export async function freePort(): Promise<number> {
  let low = 32_768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: the default range's start
  }
  const floor = Math.max(1_024, low - 12_000);
  for (;;) {
    const port = floor + Math.floor(Math.random() * (low - floor));
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** The deploy site with these upstream ports and this listen port (what an admin edits). */
export function siteConfig(upstreamPorts: readonly number[], port: number): string {
  const site = readFileSync(NGINX_SITE, 'utf8');
  let first = true;
  const replaced = site
    // The upstream's server lines: the first becomes the test's servers (with the file's own
    // max_fails / fail_timeout), the others go.
    .replace(/^[ \t]*server [^ \n]+:\d+([^\n]*);\n/gm, (_line, params: string) =>
      first ? ((first = false), upstreamPorts.map((p) => `    server 127.0.0.1:${p}${params};\n`).join('')) : '',
    )
    .replace(/^([ \t]*)listen [^;\n]+;/m, `$1listen 127.0.0.1:${port};`);
  if (!replaced.includes(`127.0.0.1:${upstreamPorts[0]}`) || !replaced.includes(`listen 127.0.0.1:${port};`)) throw new Error(`${NGINX_SITE}: no "upstream kehu { server ... }" block or listen line to fill in`);
  return replaced;
}

export async function startNginx(upstreamPorts: readonly number[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-nginx-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 1024; }',
        'http {',
        `  access_log off;`,
        `  client_body_temp_path ${join(dir, 'client_body')};`,
        `  proxy_temp_path ${join(dir, 'proxy')};`,
        `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
        `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
        `  scgi_temp_path ${join(dir, 'scgi')};`,
        siteConfig(upstreamPorts, port),
        '}',
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += String(c)));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let gone = false;
    void exited.then(() => (gone = true));
    const errorLog = () => {
      try {
        return readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    };
    const up = await waitFor(
      async () => {
        if (gone) return 'exited';
        try {
          await fetch(`http://127.0.0.1:${port}/nginx-probe`);
          return 'up';
        } catch {
          return undefined;
        }
      },
      { what: `nginx listening on ${port} (${stderr}${errorLog()})`, timeoutMs: 10_000 },
    );
    if (up === 'exited') {
      // The port was taken between freePort() and nginx's bind: once more on another.
      if (attempt < 3 && /Address already in use/.test(stderr + errorLog())) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx exited at start: ${stderr}${errorLog()}`);
    }
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      errorLog,
      async stop() {
        if (!gone) {
          child.kill('SIGQUIT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
