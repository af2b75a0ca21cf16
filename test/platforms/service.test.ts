// The operator's surface of the running service: /healthz (200, and 503 when the database
// is gone), /metrics (request counters, ack histogram, job gauges), unknown routes.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.ts';
import { canConnect, createScratchDatabase } from '../../src/db/pg-admin.ts';
import { startHarness } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import { SLACK, LARK } from '../support/test-org.ts';

const PG_ADMIN_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_AVAILABLE = PG_ADMIN_URL !== 'off' && (await canConnect(PG_ADMIN_URL));
if (!PG_AVAILABLE) console.warn('[kehu platform tests] no PostgreSQL server: the /healthz 503 test is SKIPPED');

describe('health and metrics', () => {
  const h = useHarness({ slack: true, lark: 'http' });

  it('GET /healthz answers 200 with the database status', async () => {
    const r = await h.get('/healthz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ status: 'ok', database: 'ok', inbox: { waiting: 0 }, platforms: { slack: 'ok', lark: 'ok' } });
    expect(r.headers.get('x-request-id')).toMatch(/.+/);
  });

  it('echoes a given x-request-id', async () => {
    const res = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'req-abc' } });
    expect(res.headers.get('x-request-id')).toBe('req-abc');
  });

  it('answers unknown routes with 404', async () => {
    expect((await h.get('/nope')).status).toBe(404);
    expect((await h.post('/healthz', '')).status).toBe(404);
  });

  it('GET /metrics shows request counters, acks, ack latency and job gauges', async () => {
    await h.slackReply(await h.slashCommand(SLACK.tomReed, 'help'));
    await h.slashCommand(SLACK.tomReed, 'help', { sign: 'bad' });
    await h.larkMessage(LARK.tomReed, 'help');
    await h.larkIdle();
    const r = await h.get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(r.text).toMatch(/kehu_http_requests_total\{route="\/slack\/events",status="200"\} [1-9]/);
    expect(r.text).toMatch(/kehu_http_requests_total\{route="\/slack\/events",status="401"\} [1-9]/);
    expect(r.text).toMatch(/kehu_http_requests_total\{route="\/lark\/events",status="200"\} [1-9]/);
    expect(r.text).toMatch(/kehu_acks_total\{platform="slack",kind="command"\} [1-9]/);
    expect(r.text).toMatch(/kehu_acks_total\{platform="lark",kind="im.message.receive_v1"\} [1-9]/);
    expect(r.text).toMatch(/kehu_ack_seconds_count\{platform="slack"\} [1-9]/);
    expect(r.text).toMatch(/kehu_jobs\{state="pending"\} \d+/);
    expect(r.text).toMatch(/kehu_jobs\{state="dead"\} \d+/);
    expect(r.text).toMatch(/kehu_job_lag_seconds \d/);
    expect(r.text).toContain('kehu_process_cpu_seconds_total');
  });
});

describe('health on SQLite', () => {
  const h = useHarness({ slack: true });

  it('answers 503 within a second while another process holds the write lock, with the reason', async () => {
    // Another connection takes the write lock and keeps it, as a stuck process would.
    const holder = new BetterSqlite3(h.databaseUrl.replace(/^file:/, ''));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = await h.get('/healthz');
      expect(r.ms).toBeLessThan(1_500);
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toMatchObject({ status: 'error', database: 'unreachable', reasons: [expect.stringContaining('did not answer')] });
      expect((await h.get('/metrics')).status).toBe(200);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    await waitFor(async () => (await h.get('/healthz')).status === 200, { what: 'healthy again once the lock is gone' });
  });

});

describe('start-up while Slack is down', () => {
  it('starts, says degraded naming Slack, and still stores what is acked', async () => {
    // Not useHarness: its reset of the fakes before each test would bring Slack back.
    const h = await startHarness({ slack: true, slackDown: true });
    try {
      const health = await waitFor(async () => {
        const r = await h.get('/healthz');
        return h.fakeSlack.callsOf("auth.test").length === 0 && h.fakeSlack.calls.some((c) => c.method === 'auth.test') && r;
      }, { what: 'the first check of Slack, refused' });
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toMatchObject({ status: 'degraded', database: 'ok', platforms: { slack: 'unreachable' }, reasons: ['slack: unreachable'] });
      expect((await h.get('/metrics')).text).toMatch(/^kehu_platform_up\{platform="slack"\} 0$/m);
      // The command is acked and kept: its row waits, retried, until Slack answers auth.test.
      expect((await h.slashCommand(SLACK.tomReed, 'help')).status).toBe(200);
      await waitFor(async () => (await h.db.prisma.job.findFirst({ where: { kind: 'inbox.slack', attempts: { gte: 1 } } }))?.status === 'pending', {
        what: 'the row failed once and waiting to be retried',
      });
    } finally {
      await h.stop();
    }
  });
});

describe.skipIf(!PG_AVAILABLE)('health on PostgreSQL', () => {
  it('answers 503 when the database goes away, and keeps answering', async () => {
    const scratch = await createScratchDatabase(PG_ADMIN_URL, 'kehu_platform');
    const h = await startHarness({ slack: true, databaseUrl: scratch.url });
    try {
      expect((await h.get('/healthz')).status).toBe(200);
      // The jobs made up at start (pool sweep, housekeeping) finish first: one still running
      // when the database goes would retry its outcome and hold stop() for its 10 s.
      await h.kehu.idle();
      await scratch.drop();
      const r = await h.get('/healthz');
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toMatchObject({ status: 'error', database: 'unreachable', reasons: [expect.stringMatching(/^database: /)] });
      // The body never leaks the connection string.
      expect(r.text).not.toContain('postgres://');
      expect((await h.get('/healthz')).status).toBe(503);
      // /metrics answers from memory: the ack counters are there exactly when needed.
      const metrics = await h.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/kehu_queue_sample_age_seconds \d/);
    } finally {
      // Stopping hands job leases back, which cannot work without the database.
      await h.stop().catch(() => {});
      await scratch.drop().catch(() => {});
    }
  });
});
