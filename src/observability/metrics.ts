// Prometheus metrics (prom-client): requests, acks and their latency, job queue depth
// and lag. One registry per running service so tests can run several side by side. A
// worker thread keeps its own counters (no process metrics, no queue gauges); the main
// thread adds them to its own when scraped (prom-client's AggregatorRegistry).
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

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

  private readonly sources: (() => Promise<MetricsJson>)[] = [];

  /** Without a queue snapshot: a worker thread's counters only. */
  constructor(queueSnapshot?: () => Promise<QueueSnapshot>) {
    if (!queueSnapshot) return;
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

  /** Counters kept elsewhere (a worker thread) that scrapes add to these. */
  addSource(read: () => Promise<MetricsJson>): () => void {
    this.sources.push(read);
    return () => void this.sources.splice(this.sources.indexOf(read), 1);
  }

  json(): Promise<MetricsJson> {
    return this.registry.getMetricsAsJSON() as Promise<MetricsJson>;
  }

  /** The Prometheus text of this registry plus every source's. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    if (this.sources.length === 0) return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    const all = await Promise.all([this.json(), ...this.sources.map((read) => read())]);
    // Counters and histograms add up across threads; a metric only one thread has (process
    // metrics) is its own sum, where the default aggregator of some would drop it.
    const merged = AggregatorRegistry.aggregate(all.map((metrics) => metrics.map((m) => ({ ...m, aggregator: 'sum' as const }))));
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
