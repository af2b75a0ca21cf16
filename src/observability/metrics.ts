// Prometheus metrics (prom-client): requests, acks and their latency, duplicates dropped,
// the queue and the inbox, job outcomes. One registry per running service so tests can
// run several side by side. A scrape answers from memory: the queue figures are a
// snapshot a sampler refreshes (app.ts), never a database query of the scrape's own, so
// /metrics still answers while the database is down (the snapshot's age says how old).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../db/repositories/job.repository.ts';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'kehu_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly acks = new Counter({
    name: 'kehu_acks_total',
    help: 'Inbound chat requests acknowledged, by platform and kind',
    labelNames: ['platform', 'kind'] as const,
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: 'kehu_ack_seconds',
    help: 'Time from request received to acknowledgement',
    labelNames: ['platform'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 3],
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'kehu_duplicate_deliveries_total',
    help: 'Retried or repeated inbound deliveries dropped',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'kehu_inbox_refused_total',
    help: 'Verified requests not acked because the inbox could not be written (the platform retries)',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'kehu_job_runs_total',
    help: 'Job runs by kind and outcome (done, retry, throttled, dead; superseded: an earlier attempt had applied it, or the lease was lost), with the error code of failed runs',
    labelNames: ['kind', 'outcome', 'error'] as const,
    registers: [this.registry],
  });
  readonly platformUp = new Gauge({
    name: 'kehu_platform_up',
    help: '1 when the platform answered its last check, 0 when not',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });

  private snapshot: { stats: QueueStats; at: number } | undefined;

  /** `process`: also the process metrics (the main thread's registry). */
  constructor(opts: { process?: boolean } = {}) {
    if (!opts.process) return;
    collectDefaultMetrics({ register: this.registry, prefix: 'kehu_' });
    const read = () => this.snapshot;
    new Gauge({
      name: 'kehu_jobs',
      help: 'Jobs in the durable queue by state (last sample)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const s = read()?.stats;
        if (!s) return;
        this.set({ state: 'pending' }, s.pending);
        this.set({ state: 'running' }, s.running);
        this.set({ state: 'dead' }, s.dead);
      },
    });
    // One number each from the last sample; nothing is exported before the first one.
    const fromSample = (name: string, help: string, value: (s: { stats: QueueStats; at: number }) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const sample = read();
          if (sample) this.set(value(sample));
        },
      });
    fromSample('kehu_job_lag_seconds', 'How late the oldest due job is (last sample)', ({ stats }) => stats.oldestDueLagMs / 1000);
    fromSample('kehu_inbox_depth', 'Acked requests not yet handled (last sample)', ({ stats }) => stats.inbox);
    fromSample('kehu_inbox_oldest_seconds', 'Age of the oldest acked request not yet handled (last sample)', ({ stats }) => stats.inboxOldestMs / 1000);
    fromSample('kehu_queue_sample_age_seconds', 'How old the queue figures above are (grows while the database does not answer)', ({ at }) => (Date.now() - at) / 1000);
  }

  /** The sampler's latest reading of the queue. */
  setQueue(stats: QueueStats): void {
    this.snapshot = { stats, at: Date.now() };
  }

  queue(): { stats: QueueStats; ageMs: number } | undefined {
    return this.snapshot && { stats: this.snapshot.stats, ageMs: Date.now() - this.snapshot.at };
  }

  /** How one job run ended (the worker's JobSettled; declared here so that metrics depend on nothing above them). */
  jobSettled(s: { kind: string; outcome: string; error?: string }): void {
    this.jobs.inc({ kind: s.kind, outcome: s.outcome, error: s.error ?? '' });
  }

  /** The Prometheus text of this registry. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
