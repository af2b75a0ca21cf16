// A file that goes with a reply (the `export` CSV): platform-neutral, like the rest of the
// reply model. A command puts it on `Reply.attachment`; each front end delivers it its own
// way after the ack (Slack: a DM upload, Lark: a file message, shell: a file on disk) and
// only then shows the reply, so "exported N customers" is never said of a file that did
// not arrive. The content is a function returning a fresh stream of chunks, so a large
// file is produced while it is written and never held as one string.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline as pipelineCallback, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Locale, OrgDirectory, Person } from '../core/org/org.ts';
import type { Logger } from '../observability/logger.ts';
import { t } from './i18n.ts';
import { errorReply, type Reply } from './reply.ts';

export interface ReplyAttachment {
  /** Safe as a file name on every platform and disk (no path separators). */
  filename: string;
  title: string;
  mimeType: string;
  /** A fresh pass over the content on each call. */
  content(): AsyncIterable<string | Buffer>;
}

/**
 * CSV from rows, streamed through csv-stringify. UTF-8 with a byte-order mark: without
 * it Excel reads a UTF-8 file as the local code page and shows Chinese as mojibake.
 */
export function csvAttachment(options: { filename: string; title: string; rows: () => AsyncIterable<string[]> }): ReplyAttachment {
  return {
    filename: options.filename,
    title: options.title,
    mimeType: 'text/csv',
    content: () =>
      // The callback form returns the last stream, which a consumer iterates; a failing
      // source destroys it, so the error reaches whoever reads the file.
      pipelineCallback(Readable.from(options.rows()), stringify({ bom: true }), () => undefined),
  };
}

/** Writes the attachment to `path` (folders created); resolves with its size in bytes. */
export async function writeAttachment(attachment: ReplyAttachment, path: string): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  await pipeline(Readable.from(attachment.content()), createWriteStream(path));
  return (await stat(path)).size;
}

/** The attachment as a temporary file for an upload, removed afterwards whatever happens. */
export async function withTempFile<T>(attachment: ReplyAttachment, use: (path: string, bytes: number) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kehu-file-'));
  try {
    const path = join(dir, attachment.filename);
    return await use(path, await writeAttachment(attachment, path));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Delivers the reply's attachment, if any, through `send`; answers the reply to show:
 * the reply itself, or, when the file could not be sent, a sentence saying so with a ref
 * for the logs (the person can simply ask again).
 */
export async function deliverAttachment(
  context: { directory: OrgDirectory; person?: Person; requestId: string; logger: Logger },
  reply: Reply,
  send: (attachment: ReplyAttachment, reply: Reply) => Promise<void>,
): Promise<Reply> {
  if (!reply.attachment) return reply;
  try {
    await send(reply.attachment, reply);
    return reply;
  } catch (e) {
    context.logger.error({ err: e, requestId: context.requestId, file: reply.attachment.filename }, 'attachment not delivered');
    const locale: Locale = context.directory.localeOf(context.person);
    return errorReply(t(locale, 'err.fileNotSent', { ref: context.requestId }));
  }
}
