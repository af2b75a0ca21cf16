// Prometheus metrics (prom-client): requests, acks and their latency, job queue depth
// and lag. One registry per running service so tests can run several side by side.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface QueueSnapshot {
  pending: number;
  running: number;
  dead: number;
  oldestDueLagMs: number;
}

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

  constructor(queueSnapshot: () => Promise<QueueSnapshot>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kehu_' });
    // Gauges read the queue when scraped, not on a timer.
    let last: Promise<QueueSnapshot> | undefined;
    const read = () => (last ??= queueSnapshot().finally(() => setTimeout(() => (last = undefined), 0)));
    new Gauge({
      name: 'kehu_jobs',
      help: 'Jobs in the durable queue by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const s = await read();
        this.set({ state: 'pending' }, s.pending);
        this.set({ state: 'running' }, s.running);
        this.set({ state: 'dead' }, s.dead);
      },
    });
    new Gauge({
      name: 'kehu_job_lag_seconds',
      help: 'How late the oldest due job is',
      registers: [this.registry],
      async collect() {
        this.set((await read()).oldestDueLagMs / 1000);
      },
    });
  }
}
