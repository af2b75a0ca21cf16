// Composition root: builds the running service from settings — database, org, chat
// front ends, HTTP server, job worker — and knows how to stop it cleanly. main.ts only
// reads the environment and calls this; tests call it with their own settings.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Services } from './chat/command.ts';
import type { Settings } from './config/env.ts';
import { EXAMPLE_ORG_FILE, OrgStore } from './config/org-file.ts';
import { openDatabase, type Database } from './db/client.ts';
import { openInboxWriter, type InboxWriter } from './db/repositories/inbox.repository.ts';
import { createHttpServer } from './http/server.ts';
import { queueStats } from './db/repositories/job.repository.ts';
import { createNoticeOutbox } from './db/repositories/outbox.ts';
import { INBOX_KINDS } from './platforms/inbox.ts';
import { withTimeout } from './jobs/with-timeout.ts';
import { scheduleRecurring } from './jobs/recurring.ts';
import { startWorker, type Worker } from './jobs/worker.ts';
import { jobHandlers } from './jobs/job-definition.ts';
import { JOB_DEFINITIONS, RECURRING_ENTRIES } from './jobs/registry.ts';
import type { ChatSender } from './notify/notifier.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { Metrics } from './observability/metrics.ts';
import { startChatThread, type ChatThread } from './platforms/chat-thread.ts';
import { createServices, type FrontEndDeps } from './platforms/front-end.ts';
import { createLarkFrontEnd, type LarkFrontEnd } from './platforms/lark/lark-app.ts';
import { createShellInbox, runShell } from './platforms/shell/shell.ts';
import { createSlackFrontEnd, type SlackFrontEnd } from './platforms/slack/slack-app.ts';

/** The chat thread's module (loaded only in the thread). */
const CHAT_WORKER_ENTRY = new URL('./platforms/chat-worker.ts', import.meta.url);
const SAMPLE_EVERY_MS = 5_000;
const SAMPLE_TIMEOUT_MS = 2_000;

export interface StartOptions {
  settings: Settings;
  logger?: Logger;
  clock?: () => Date;
  /** Worker tuning (tests use short polls). */
  worker?: { pollMs?: number; leaseMs?: number };
  /** Listen on this host (default all interfaces). */
  host?: string;
}

export interface Kehu {
  db: Database;
  org: OrgStore;
  metrics: Metrics;
  logger: Logger;
  services: Services;
  slack?: SlackFrontEnd;
  lark?: LarkFrontEnd;
  server?: Server;
  /** The bound port (useful with PORT=0). */
  port?: number;
  /** Senders used by queued notifications, in order of preference. */
  senders: ChatSender[];
  /** Runs the job queue until nothing is due (the shell, before it exits; tests). */
  drainJobs(): Promise<void>;
  /** Resolves when every acked request is handled and every job due now has run (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts everything but the shell: database, org, Slack/Lark front ends, HTTP, worker. */
export async function startKehu(options: StartOptions): Promise<Kehu> {
  const { settings } = options;
  const logger = options.logger ?? createLogger(settings.logLevel);
  const clock = options.clock ?? (() => new Date());
  // The org file first: a broken one stops start-up before anything is open.
  const org = new OrgStore(settings.orgFile ?? EXAMPLE_ORG_FILE, logger);
  if (!settings.orgFile) logger.warn({ file: EXAMPLE_ORG_FILE }, 'KEHU_ORG_FILE is not set: using the bundled example org');
  const db = await openDatabase(settings.databaseUrl, { migrate: true, log: (msg) => logger.info(msg) });
  const unwatch = org.watch();
  const directory = () => org.current();
  const services = createServices(db, clock);
  const metrics = new Metrics({ process: true });
  const deps: FrontEndDeps = { directory, services, db, logger, metrics };
  const inboxKinds = Object.values(INBOX_KINDS);

  let chatThread: ChatThread | undefined;
  let slack: SlackFrontEnd | undefined;
  let lark: LarkFrontEnd | undefined;
  let worker: Worker | undefined;
  let stopRecurring: (() => Promise<void>) | undefined;
  let server: Server | undefined;
  let port: number | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let inbox: InboxWriter | undefined;
  const senders: ChatSender[] = [];
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
      await step('chat thread', () => chatThread?.stop());
      await step('inbox', () => inbox?.close());
      clearInterval(sampler);
      await step('cron', () => stopRecurring?.());
      await step('job worker', () => worker?.stop());
      await step('org watcher', () => unwatch());
      await step('database', () => db.close());
      if (failures.length) throw failures[0];
      logger.info('kehu stopped');
    })());

  try {
    // What the front ends ack goes to the inbox; the chat thread works it off (platforms/inbox.ts).
    if (settings.slack || settings.lark) {
      const thread = await startChatThread({ entry: CHAT_WORKER_ENTRY, host: { settings, org }, deps: { logger, metrics, clock, db } });
      chatThread = thread;
      const writer = openInboxWriter(settings.databaseUrl);
      inbox = writer;
      slack = settings.slack ? createSlackFrontEnd(settings.slack, { ...deps, thread, inbox: writer }) : undefined;
      lark = settings.lark ? createLarkFrontEnd(settings.lark, { ...deps, thread, inbox: writer }) : undefined;
    }
    senders.push(...[slack?.sender, lark?.sender].filter((s): s is ChatSender => s !== undefined));

    worker = startWorker({
      db,
      handlers: jobHandlers(JOB_DEFINITIONS, { senders: () => senders, directory, customers: services.customers, outbox: createNoticeOutbox(db), db, clock, logger }),
      // The inbox is the chat thread's.
      exceptKinds: inboxKinds,
      clock,
      logger,
      onSettled: (s) => metrics.jobSettled(s),
      ...options.worker,
    });
    // /metrics answers from memory: the queue is read here, on a timer, with a time limit.
    const sample = () =>
      withTimeout(queueStats(db, clock(), inboxKinds), SAMPLE_TIMEOUT_MS).then(
        (s) => metrics.setQueue(s),
        (e: unknown) => logger.warn({ err: e }, 'could not read the queue for /metrics'),
      );
    await sample();
    sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS).unref();
    // Cron only enqueues (one key per period): the worker above does the work, on one replica.
    stopRecurring = scheduleRecurring({ db, timezone: directory().org.timezone, entries: [...RECURRING_ENTRIES], clock, logger });

    if (slack || lark) {
      // Front ends first: a request is only accepted once there is something to hand it to.
      await slack?.start();
      await lark?.start();
      const front = { slack, lark };
      const listening = createHttpServer({
        slack: slack?.requestListener,
        lark: lark?.requestListener,
        db,
        metrics,
        logger,
        platforms: () => Object.fromEntries(Object.entries(front).filter(([, f]) => f).map(([name, f]) => [name, f!.reachable()])),
      });
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(settings.port, options.host, () => resolve());
      });
      port = (listening.address() as AddressInfo).port;
      logger.info({ port, slack: Boolean(slack), lark: Boolean(lark), database: db.provider }, 'kehu is listening');
    }
  } catch (e) {
    // Nothing half-started stays behind (a worker thread, the job worker, the database).
    await stop().catch(() => undefined);
    throw e;
  }

  const jobs = worker;
  const thread = chatThread;
  const idle = async () => {
    // Handling a request may queue notices, and a notice may not add requests: twice is enough.
    for (let round = 0; round < 2; round++) {
      await thread?.idle();
      await jobs.drain();
    }
  };
  return { db, org, metrics, logger, services, slack, lark, server, port, senders, drainJobs: () => jobs.drain(), idle, stop };
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

/** The shell: the service without HTTP, with replies and notifications in the terminal. */
export async function startShell(options: StartOptions & { input: Readable; output: Writable; as?: string; exportDir?: string }): Promise<void> {
  const kehu = await startKehu({ ...options, settings: { ...options.settings, slack: undefined, lark: undefined } });
  const inbox = createShellInbox(options.output);
  kehu.senders.push(inbox.sender);
  try {
    await runShell({ input: options.input, output: options.output, as: options.as, inbox, drainJobs: kehu.drainJobs, exportDir: options.exportDir }, {
      directory: () => kehu.org.current(),
      services: kehu.services,
      db: kehu.db,
      logger: kehu.logger,
      metrics: kehu.metrics,
    });
  } finally {
    await kehu.stop();
  }
}

