// A reply's images (the digest's charts) as files: the shell writes them under
// ./data/digests and prints their paths where the image blocks stand.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Reply } from './reply.ts';

export const DEFAULT_DIGEST_DIR = join('data', 'digests');

/** Writes each image of `reply` into `dir` (created); resolves with the path of each, by id. */
export async function writeReplyImages(reply: Reply, dir = DEFAULT_DIGEST_DIR): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  if (!reply.images?.length) return paths;
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  for (const image of reply.images) {
    const path = join(folder, image.filename);
    await writeFile(path, image.png);
    paths[image.id] = path;
  }
  return paths;
}
