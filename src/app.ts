// Composition root. startKehu builds the service: the front door on this (the main)
// thread — the inbox writer, the Slack and Lark front ends, the HTTP server with /healthz
// and /metrics — and the back office in the work thread (platforms/chat-thread.ts), which
// owns the database, the org and the job workers. startShell runs the back office on this
// thread instead, with the terminal as its only front end. main.ts only reads the
// environment and calls these; tests call them with their own settings.
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { pino, type DestinationStream } from 'pino';
import type { Settings } from './config/env.ts';
import { providerOf } from './db/database-url.ts';
import { openInboxWriter, type InboxWriter } from './db/repositories/inbox.repository.ts';
import { createHttpServer } from './http/server.ts';
import { calendarWarnings } from './core/time/working-time.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { Metrics } from './observability/metrics.ts';
import { startWorkThread, type WorkThread } from './platforms/chat-thread.ts';
import type { FrontDoorDeps } from './platforms/front-end.ts';
import type { LarkFrontEnd } from './platforms/lark/lark-app.ts';
import type { SlackFrontEnd } from './platforms/slack/slack-app.ts';

export interface StartOptions {
  settings: Settings;
  /** Where log lines go, the work thread's too (default: standard output). */
  logTo?: DestinationStream;
  clock?: () => Date;
  /** Worker tuning (tests use short polls). */
  worker?: { pollMs?: number; leaseMs?: number };
  /** Listen on this host (default all interfaces). */
  host?: string;
}

export interface Kehu {
  metrics: Metrics;
  logger: Logger;
  slack?: SlackFrontEnd;
  lark?: LarkFrontEnd;
  server?: Server;
  /** The bound port (useful with PORT=0). */
  port?: number;
  /** Re-reads the org file (SIGHUP). */
  reloadOrg(): void;
  /** Resolves when every acked request is handled and every job due now has run (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the service: the work thread (database, org, workers), then the front door. */
export async function startKehu(options: StartOptions): Promise<Kehu> {
  const { settings } = options;
  const logTo = options.logTo ?? pino.destination({ dest: 1, sync: false });
  const logger = createLogger(settings.logLevel, logTo);
  const clock = options.clock ?? (() => new Date());
  const metrics = new Metrics({ process: true });

  let thread: WorkThread | undefined;
  let slack: SlackFrontEnd | undefined;
  let lark: LarkFrontEnd | undefined;
  let server: Server | undefined;
  let port: number | undefined;
  let inbox: InboxWriter | undefined;
  let stopping: Promise<void> | undefined;
  // Stops whatever has started, in reverse: also the way out of a start-up that failed half-way.
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting, finish what was accepted, hand leases back, close the database.
      // Each step runs even if one before it failed (e.g. a receiver that never started).
      const failures: unknown[] = [];
      const step = async (part: string, fn: () => unknown) => {
        try {
          await fn();
        } catch (e) {
          failures.push(e);
          logger.error({ err: e, part }, 'a part of kehu did not stop cleanly');
        }
      };
      await step('http server', () => closeServer(server));
      await step('slack', () => slack?.stop());
      await step('lark', () => lark?.stop());
      await step('work thread', () => thread?.stop());
      await step('inbox', () => inbox?.close());
      if (failures.length) throw failures[0];
      logger.info('kehu stopped');
    })());

  // A platform's SDK is loaded only when the platform is configured, and while the work
  // thread starts (the two overlap: about half a second of a start). Awaited below; a start
  // that fails before then leaves no unhandled rejection behind.
  const slackApp = settings.slack ? import('./platforms/slack/slack-app.ts') : undefined;
  const larkApp = settings.lark ? import('./platforms/lark/lark-app.ts') : undefined;
  for (const loading of [slackApp, larkApp]) loading?.catch(() => undefined);
  try {
    // The work thread first: it applies the migrations and checks the org file; a refusal stops start-up here.
    const work = await startWorkThread({ settings, logger, logTo, metrics, clock, worker: options.worker });
    thread = work;
    if (settings.slack || settings.lark) {
      const writer = openInboxWriter(settings.databaseUrl);
      inbox = writer;
      const deps: FrontDoorDeps = { clock, logger, metrics, inbox: writer, office: work };
      if (settings.slack && slackApp) slack = (await slackApp).createSlackFrontEnd(settings.slack, deps);
      if (settings.lark && larkApp) lark = (await larkApp).createLarkFrontEnd(settings.lark, deps);
      // Front ends first: a request is only accepted once there is something to hand it to.
      await slack?.start();
      await lark?.start();
      const front = { slack, lark };
      const listening = createHttpServer({
        slack: slack?.requestListener,
        lark: lark?.requestListener,
        heartbeat: () => writer.heartbeat(`${hostname()}:${process.pid}`, new Date()),
        metrics,
        logger,
        platforms: () => Object.fromEntries(Object.entries(front).filter(([, f]) => f).map(([name, f]) => [name, f!.reachable()])),
        warnings: () => calendarWarnings(clock()),
      });
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(settings.port, options.host, () => resolve());
      });
      port = (listening.address() as AddressInfo).port;
      logger.info({ port, slack: Boolean(slack), lark: Boolean(lark), database: providerOf(settings.databaseUrl) }, 'kehu is listening');
    }
  } catch (e) {
    // Nothing half-started stays behind (the work thread, the inbox writer).
    await stop().catch(() => undefined);
    throw e;
  }

  const work = thread;
  return { metrics, logger, slack, lark, server, port, reloadOrg: () => work.reloadOrg(), idle: () => work.idle(), stop };
}

/**
 * Stops accepting and resolves once every connection is gone: requests in flight finish,
 * and each kept-alive connection is closed as soon as it is idle (not after keepAliveTimeout).
 */
function closeServer(server: Server | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    // close() itself closes the connections idle now; the sweep catches the ones that go idle later.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
  });
}

/** The shell: the back office on this thread, with replies and notifications in the terminal. */
export async function startShell(options: { settings: Settings; logger: Logger; clock?: () => Date; input: Readable; output: Writable; as?: string; exportDir?: string }): Promise<void> {
  const { logger } = options;
  const { startBackOffice } = await import('./platforms/back-office.ts');
  const { createShellInbox, runShell } = await import('./platforms/shell/shell.ts');
  const office = await startBackOffice({ settings: { ...options.settings, slack: undefined, lark: undefined }, logger, clock: options.clock ?? (() => new Date()) });
  const inbox = createShellInbox(options.output);
  office.senders.push(inbox.sender);
  try {
    await runShell({ input: options.input, output: options.output, as: options.as, inbox, drainJobs: () => office.idle(), exportDir: options.exportDir }, {
      directory: office.directory,
      services: office.services,
      db: office.db,
      logger,
    });
  } finally {
    await office.stop();
  }
}
