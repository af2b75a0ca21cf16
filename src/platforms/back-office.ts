// The back office: everything kehu does after a request is acked, and everything it does
// on its own. It owns the database (migrations at start), the org file (and its reloads),
// the chat platforms' clients, and the two job workers that do the work: the inbox's (the
// rows the front ends wrote on each ack: identity, the command, the reply) and the queue's
// (notifications, the pool sweep, housekeeping), and the cron that enqueues the recurring
// ones. It samples the queue for /metrics.
//
// In the service it runs in the work thread (chat-thread.ts), so that none of its CPU
// stands in front of the next ack; the shell runs it on the one thread there is.
//
//   const office = await startBackOffice({ settings, logger, clock, onSettled, onQueue });
//   office.wake(); await office.answer(jobId); await office.idle(); await office.stop();
import type { Services } from '../chat/command.ts';
import type { Inbound } from '../chat/dispatch.ts';
import type { Settings } from '../config/env.ts';
import { EXAMPLE_ORG_FILE, OrgStore } from '../config/org-file.ts';
import { rememberPeople } from '../db/repositories/person-record.repository.ts';
import { openCatalog } from '../config/catalog-file.ts';
import type { Catalog } from '../core/requests/catalog.ts';
import type { OrgDirectory, Person } from '../core/org/org.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { createContestStore } from '../db/repositories/contest.repository.ts';
import { createCustomerBook } from '../db/repositories/customer-book.repository.ts';
import { createCustomerStore } from '../db/repositories/customer.repository.ts';
import { createDigestSettingsStore, createDigestSource } from '../db/repositories/digest.repository.ts';
import { chartRenderer } from './charts/chart-renderer.ts';
import { batchedDigestSource } from '../core/digests/batch-figures.ts';
import { createExtensionStore } from '../db/repositories/extension-request.repository.ts';
import { createHandoverStore } from '../db/repositories/handover.repository.ts';
import { queueStats, releaseLeases, type QueueStats } from '../db/repositories/job.repository.ts';
import { createNoticeOutbox } from '../db/repositories/outbox.ts';
import { createVisitStore } from '../db/repositories/visit.repository.ts';
import { createRequestStore } from '../db/repositories/service-request.repository.ts';
import { checkLeaversNow } from '../jobs/handovers/handover-morning.job.ts';
import { jobHandlers } from '../jobs/job-definition.ts';
import { scheduleRecurring } from '../jobs/recurring.ts';
import { JOB_DEFINITIONS, RECURRING_ENTRIES } from '../jobs/registry.ts';
import { withTimeout } from '../jobs/with-timeout.ts';
import { startWorker, type JobHandler, type JobSettled, type Worker } from '../jobs/worker.ts';
import type { ChatSender } from '../notify/notifier.ts';
import type { Logger } from '../observability/logger.ts';
import type { Platform } from '../chat/command.ts';
import { randomUUID } from 'node:crypto';
import { INBOX_KINDS, inboxBackoff } from './inbox.ts';
import { inboxLarkJob, inboxSlackJob } from './inbox.jobs.ts';

/** What the chat layer and the platform adapters of the back office get. */
export interface FrontEndDeps {
  directory: () => OrgDirectory;
  services: Services;
  /** For the adapters' own tables (chat identities); the commands get services only. */
  db: Database;
  logger: Logger;
}

/** The services commands use, over the back office's database connection. */
export function createServices(db: Database, clock: () => Date, catalog: () => Catalog = () => ({ services: [] })): Services {
  return { catalog, clock, customers: createCustomerStore(db), contests: createContestStore(db), extensions: createExtensionStore(db), customerBook: createCustomerBook(db), digests: batchedDigestSource(createDigestSource(db)), digestSettings: createDigestSettingsStore(db), charts: chartRenderer(), visits: createVisitStore(db), handovers: createHandoverStore(db), requests: createRequestStore(db) };
}

/** What the chat layer gets for one message or click: the sender and a fresh request id. */
export function inboundFor(deps: FrontEndDeps, platform: Platform, sender: { person?: Person; who: string }): Inbound {
  const requestId = randomUUID();
  return {
    directory: deps.directory(),
    person: sender.person,
    who: sender.who,
    platform,
    services: deps.services,
    requestId,
    logger: deps.logger.child({ requestId, platform }),
  };
}

export interface BackOfficeOptions {
  settings: Settings;
  logger: Logger;
  clock: () => Date;
  /** Lease owner prefix of this back office's workers. */
  owner?: string;
  /** Lease owners that died (a crashed work thread): their rows go back to the queue at start. */
  releaseOwners?: string[];
  /** Worker tuning (tests use short polls). */
  worker?: { pollMs?: number; leaseMs?: number };
  /** More inbox kinds and their handlers (tests' probes). */
  inboxHandlers?: (deps: FrontEndDeps) => Record<string, JobHandler>;
  onSettled?: (settled: JobSettled) => void;
  /** A fresh sample of the queue, every SAMPLE_EVERY_MS (for /metrics and /healthz). */
  onQueue?: (stats: QueueStats) => void;
}

export interface BackOffice {
  db: Database;
  services: Services;
  directory: () => OrgDirectory;
  /** Senders for queued notifications, in order of preference (the shell adds its own). */
  senders: ChatSender[];
  /** An inbox row is waiting: poll now. */
  wake(): void;
  /** Runs this inbox row at once (an answer must ride in the response). */
  answer(jobId: string): Promise<void>;
  /** Re-reads the org file (SIGHUP). */
  reloadOrg(): void;
  /** Runs until no inbox row or job is due and nothing runs. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const SAMPLE_EVERY_MS = 5_000;
/** The back office's two workers, as their lease owners end: `<owner>:inbox`, `<owner>:jobs`. */
const WORKERS = ['inbox', 'jobs'] as const;
const SAMPLE_TIMEOUT_MS = 2_000;

export async function startBackOffice(o: BackOfficeOptions): Promise<BackOffice> {
  const { settings, logger, clock } = o;
  // The org file first: a broken one stops start-up before anything is open.
  const org = new OrgStore(settings.orgFile ?? EXAMPLE_ORG_FILE, logger);
  if (!settings.orgFile) logger.warn({ file: EXAMPLE_ORG_FILE }, 'KEHU_ORG_FILE is not set: using the bundled example org');
  const db = await openDatabase(settings.databaseUrl, { migrate: true, log: (msg) => logger.info(msg), applicationName: 'kehu-work' });
  const parts: Array<() => unknown> = [() => db.close()];
  const stopAll = async () => {
    // In reverse order of start; each part stops even if one before it failed.
    for (const part of parts.reverse()) await Promise.resolve().then(part).catch((e: unknown) => logger.error({ err: e }, 'a part of kehu did not stop cleanly'));
  };
  try {
    for (const dead of o.releaseOwners ?? []) {
      // What a dead thread was running goes back now, its attempt counted (it may be what killed it).
      let handedBack = 0;
      for (const worker of WORKERS) handedBack += await releaseLeases(db, `${dead}:${worker}`, { countAttempt: true, now: clock() });
      if (handedBack) logger.warn({ handedBack }, 'rows of a work thread that died are back in the queue');
    }
    // The people of each org taken, recorded: someone removed later is still known by line.
    const remember = (d: OrgDirectory) => rememberPeople(db, d.people, clock()).then((former) => d.knowFormer(former));
    await remember(org.current());
    // A reload may have removed someone, or given them `left:`: who should act on what they hold hears of it at once.
    org.onReload((d) => void remember(d).then(() => checkLeaversNow(db, clock())).catch((e: unknown) => logger.error({ err: e }, 'could not record the org file’s people, or check for leavers; someone removed is known by id only until the next reload')));
    parts.push(org.watch());
    const directory = () => org.current();
    const requests = createRequestStore(db);
    const catalog = await openCatalog(settings.catalogFile, directory, logger, clock(), { openServices: (keys) => requests.openServiceKeys(keys, true), openServicesNotIn: (keys) => requests.openServiceKeys(keys, false) });
    parts.push(catalog.stop);
    const services = createServices(db, clock, catalog.current);
    const deps: FrontEndDeps = { directory, services, db, logger };
    const inboxHandlers: Record<string, JobHandler> = { ...o.inboxHandlers?.(deps) };
    const senders: ChatSender[] = [];
    if (settings.slack) {
      const { createSlackBolt } = await import('./slack/slack-bolt.ts');
      const slack = createSlackBolt(settings.slack, deps);
      Object.assign(inboxHandlers, jobHandlers([inboxSlackJob], { slack }));
      senders.push(slack.sender);
    }
    if (settings.lark) {
      const { createLarkDispatch } = await import('./lark/lark-dispatch.ts');
      const lark = createLarkDispatch(settings.lark, deps);
      Object.assign(inboxHandlers, jobHandlers([inboxLarkJob], { lark }));
      senders.push(lark.sender);
    }
    const owner = o.owner ?? `back-office:${randomUUID().slice(0, 8)}`;
    const common = { db, clock, logger, onSettled: o.onSettled, pollMs: o.worker?.pollMs };
    // The inbox: a person waits on each row. 15 s, 30 s, 1 min … 10 min: a row outlives a
    // platform or database outage of about half an hour (INBOX_MAX_ATTEMPTS), as long as
    // Slack keeps a response_url usable. Leases renewed while a row runs: the rows of a
    // thread or process that died are taken over in 10 s.
    const inbox: Worker = startWorker({ ...common, owner: `${owner}:${WORKERS[0]}`, handlers: inboxHandlers, onlyOwnKinds: true, fenceWrites: true, backoff: inboxBackoff, leaseMs: 10_000, timeoutMs: 30_000, pollMs: o.worker?.pollMs ?? 1_000 });
    parts.push(() => inbox.stop());
    const jobs: Worker = startWorker({
      ...common,
      owner: `${owner}:${WORKERS[1]}`,
      handlers: jobHandlers(JOB_DEFINITIONS, { senders: () => senders, directory, services, customers: services.customers, extensions: services.extensions, outbox: createNoticeOutbox(db), db, clock, logger }),
      // Its own kinds only: a kind this version does not know (a newer replica's, mid-deploy) is
      // left for a replica that does, and shows in /metrics as queue depth meanwhile.
      onlyOwnKinds: true,
      leaseMs: o.worker?.leaseMs ?? settings.jobLeaseMs,
      // A person may be standing at the door: a notice written by a command runs at once, here or on another replica.
      wakeOnEnqueue: true,
    });
    parts.push(() => jobs.stop());
    // Cron only enqueues (one key per period): the workers above do the work, on one replica.
    parts.push(scheduleRecurring({ db, timezone: directory().org.timezone, entries: [...RECURRING_ENTRIES], clock, logger }));
    if (o.onQueue) {
      const onQueue = o.onQueue;
      const sample = () =>
        withTimeout(queueStats(db, clock(), Object.values(INBOX_KINDS)), SAMPLE_TIMEOUT_MS).then(onQueue, (e: unknown) =>
          logger.warn({ err: e }, 'could not read the queue for /metrics'),
        );
      await sample();
      const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS).unref();
      parts.push(() => clearInterval(sampler));
    }
    let stopping: Promise<void> | undefined;
    return {
      db,
      services,
      directory,
      senders,
      wake: () => inbox.wake(),
      answer: async (jobId) => void (await inbox.runNow(jobId)),
      reloadOrg: () => void org.reload(),
      async idle() {
        // Handling a request may queue notices, and a notice may not add requests: twice is enough.
        for (let round = 0; round < 2; round++) {
          await inbox.drain();
          await jobs.drain();
        }
      },
      stop: () => (stopping ??= stopAll()),
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
