// Digests end to end with a fixed clock (Monday 2026-01-12 09:30, Shanghai): the weekly
// digest delivered once per manager and week across a restart, through the fake Slack (one
// upload into the DM carrying the blocks and the two charts) and the fake Lark (im/v1/images,
// the card showing them); on-demand digests by role; the charts real PNGs of the right size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { seedCustomers } from '../support/seed-customers.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';

const NOW = new Date('2026-01-12T01:30:00.000Z');
const clock = () => NOW;
// Slack's and Lark's signatures are checked against the real time: the on-demand tests run
// on the real clock and name the week they ask for (2026-W02, before today's date).

async function seedBook(databaseUrl: string) {
  const db = await openDatabase(databaseUrl, { migrate: true });
  try {
    await seedCustomers(db, [
      ...Array.from({ length: 6 }, (_, i) => ({ name: `零号${i}`, ownerId: 'tom.reed', stage: 0 as const })),
      { name: '华为技术', ownerId: 'tom.reed', stage: 25 },
      { name: '阿里巴巴', ownerId: 'wu.hao', stage: 50 },
      { name: 'Finance Only', ownerId: 'ghost', stage: 75 },
    ]);
  } finally {
    await db.close();
  }
}

/** Width and height from a PNG's IHDR. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of pixels that are not white. */
async function inkShare(png: Buffer): Promise<number> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240) ink++;
  return ink / (data.length / 4);
}

describe('the weekly digest', () => {
  let dir: string;
  let databaseUrl: string;
  let h: Harness | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kehu-digest-'));
    databaseUrl = `file:${join(dir, 'kehu.db')}`;
    await seedBook(databaseUrl);
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches each manager once on Monday 09:00, with both charts, and not again after a restart', { timeout: 60_000 }, async () => {
    h = await startHarness({ slack: true, databaseUrl, clock });
    await h.kehu.idle();
    // 林梅 manages Tom Reed and 吴昊: her line's digest with its charts. Sara Ng heads Finance
    // with nobody below her and no customers: Finance's record, without a funnel or a chart.
    const files = h.fakeSlack.files;
    expect(files.map((f) => f.filename).sort()).toEqual(['digest-mei.lin-2026-W02-funnel.png', 'digest-mei.lin-2026-W02-trend.png']);
    expect(files.every((f) => f.channel_id === 'D0MEILIN')).toBe(true);
    const funnel = files.find((f) => f.filename.endsWith('funnel.png'))!;
    // Two reps and the team's shape: 140 + 26 × 3 pixels high.
    expect(pngSize(funnel.content)).toEqual({ width: 1000, height: 218 });
    expect(await inkShare(funnel.content)).toBeGreaterThan(0.02);
    expect(pngSize(files.find((f) => f.filename.endsWith('trend.png'))!.content)).toEqual({ width: 1000, height: 450 });
    const [message] = h.fakeSlack.messagesIn('D0MEILIN');
    expect(message!.files).toHaveLength(2);
    const text = JSON.stringify(message!.blocks);
    expect(text).toContain('周报 2026-W02 · 林梅');
    expect(text).toContain('Tom Reed');
    expect(text).not.toContain('Finance Only');
    expect(text).toContain('kehu-key:digest:weekly:mei.lin:2026-W02');
    const [sara] = h.fakeSlack.messagesIn('D0SARANG');
    expect(sara!.files ?? []).toHaveLength(0);
    const saraText = JSON.stringify(sara!.blocks);
    expect(saraText).toContain('Weekly digest 2026-W02 · Sara Ng');
    expect(saraText).toContain('below, the record of Finance, which you head');
    expect(saraText).not.toContain('Funnel per rep');
    await h.stop();

    h = await startHarness({ slack: true, databaseUrl, clock });
    await h.kehu.idle();
    expect(h.fakeSlack.files).toHaveLength(0);
    const jobs = await h.db.prisma.job.findMany({ where: { kind: 'digest.send' }, select: { idempotencyKey: true, status: true } });
    expect(jobs.sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey))).toEqual([
      { idempotencyKey: 'digest:weekly:mei.lin:2026-W02', status: 'done' },
      { idempotencyKey: 'digest:weekly:sara.ng:2026-W02', status: 'done' },
    ]);
  });
});

describe('a first start after the digest time', () => {
  let dir: string;
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends no digest for a week kehu was not installed in (Wednesday 09:30, Monday's slot passed)", { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'kehu-digest-first-'));
    const databaseUrl = `file:${join(dir, 'kehu.db')}`;
    await seedBook(databaseUrl);
    const wednesday = new Date('2026-01-14T01:30:00.000Z');
    h = await startHarness({ slack: true, databaseUrl, clock: () => wednesday });
    await h.kehu.idle();
    expect(h.fakeSlack.files).toHaveLength(0);
    expect(await h.db.prisma.job.count({ where: { kind: 'digest.send' } })).toBe(0);
    expect(await h.db.prisma.job.count({ where: { kind: 'digest.schedule' } })).toBeGreaterThan(0);
  });
});

describe('digest on demand over Slack', () => {
  const h = useHarness({ slack: true });
  beforeAll(async () => seedBook(h.databaseUrl));

  it('a rep gets their own funnel only, in their DM, and the channel is told where', async () => {
    // The reply comes once the charts are drawn and uploaded, by a chart process started cold
    // (chart-renderer.ts): 5 s and more on a loaded 2-core machine.
    const body = (await h.slackReply(await h.slashCommand(SLACK.tomReed, 'digest 2026-01-05'), { timeoutMs: 20_000 })).body;
    expect(String(body.text)).toBe('Your digest (with its charts) is in our direct messages.');
    const [message] = h.fakeSlack.messagesIn('D0TOMREED');
    const text = JSON.stringify(message!.blocks);
    expect(text).toContain('Weekly digest 2026-W02 · Tom Reed');
    expect(text).not.toContain('吴昊');
    expect(h.fakeSlack.files.map((f) => f.filename).filter((f) => f.includes('tom.reed'))).toEqual(['digest-tom.reed-2026-W02-funnel.png', 'digest-tom.reed-2026-W02-trend.png']);
  });

  it('answers an unknown period and a future date in words', async () => {
    const before = h.fakeSlack.files.length;
    expect(String((await h.slackReply(await h.slashCommand(SLACK.tomReed, 'digest yesterday'))).body.text)).toMatch(/^"yesterday" is not a period I know/);
    expect(String((await h.slackReply(await h.slashCommand(SLACK.tomReed, 'digest 2099-02-01'))).body.text)).toBe('2099-02-01 has not come yet: a digest covers weeks that have begun.');
    expect(h.fakeSlack.files).toHaveLength(before);
  });

  it('a page button rebuilds the digest for whoever pressed it, in place', async () => {
    const pressed = await h.blockAction(SLACK.tomReed, 'kehu:digest.page:0', { kind: 'weekly', day: '2026-01-05', page: '1' });
    const body = (await h.slackReply(pressed)).body;
    expect(body.replace_original).toBe(true);
    expect(JSON.stringify(body.blocks)).toContain('Weekly digest 2026-W02 · Tom Reed');
  });

  it('settings: weekly, daily or off', async () => {
    expect(String((await h.slackReply(await h.slashCommand(SLACK.meiLin, '周报 设置'))).body.text)).toContain('每周发送（周一 09:00');
    expect(String((await h.slackReply(await h.slashCommand(SLACK.meiLin, '周报 设置 关闭'))).body.text)).toContain('已设置');
    expect(await h.db.prisma.digestSetting.findUnique({ where: { personId: 'mei.lin' } })).toMatchObject({ frequency: 'off' });
  });
});

describe('digest on demand over Lark', () => {
  const h = useHarness({ lark: 'http' });
  beforeAll(async () => seedBook(h.databaseUrl));

  it('uploads the charts as images and shows them in the card', async () => {
    await h.larkMessage(LARK.meiLin, '周报 2026-01-07');
    await h.larkIdle();
    expect(h.fakeLark.images).toHaveLength(2);
    const card = JSON.stringify(h.fakeLark.messages.at(-1)!.content);
    expect(card).toContain('周报 2026-W02 · 林梅');
    for (const image of h.fakeLark.images) {
      expect(pngSize(image.content).width).toBe(1000);
      expect(card).toContain(image.image_key);
    }
  });
});
