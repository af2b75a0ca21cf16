// Renders a Reply as Slack Block Kit. Pure: no I/O. Every text is fitted to Block Kit's
// limits (fit.ts): long lists and texts become several sections, more than 50 blocks
// several messages (pages), so no row is ever lost.
import { chunkLines, fitText, groupsOf, SLACK_LIMITS } from './fit.ts';
import type { Reply, ReplyBlock } from './reply.ts';

/**
 * Slack's mrkdwn has escapes for `& < >` only; `* _ ~` and the backtick have none (Slack's
 * "Formatting text for app surfaces"). Each of those is wrapped in zero-width spaces: the
 * character can then neither open nor close bold, italics, strike or code, and reads as
 * typed (a company called "*Acme*" shows as "*Acme*", not in bold). kehu's own sentences
 * are escaped too, as on Lark: a reply's text is text, never markup.
 */
export const escapeMrkdwn = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[*_~`]/g, '\u200b$&\u200b');

export const SLACK_ACTION_PREFIX = 'kehu:';

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

type Block = Record<string, unknown>;

/**
 * The reply as one or more messages of at most 50 blocks each, in order. A reply that
 * needs more (a long list) continues in the next message; the first carries the header.
 */
export function renderSlackPages(reply: Reply): SlackMessage[] {
  const blocks = reply.blocks.flatMap(renderBlock);
  const pages = groupsOf(blocks, SLACK_LIMITS.blocksPerMessage);
  const text = fitText(reply.summary, SLACK_LIMITS.messageText);
  if (pages.length <= 1) return [{ text, blocks }];
  return pages.map((page, i) => ({ text: i === 0 ? text : fitText(`${reply.summary} (${i + 1}/${pages.length})`, SLACK_LIMITS.messageText), blocks: page }));
}

/** A reply known to fit one message (a notice, an updated button message): its first page. */
export function renderSlack(reply: Reply): SlackMessage {
  return renderSlackPages(reply)[0]!;
}

/** Sections of mrkdwn text, as many as the text needs (split between lines). */
const sections = (lines: string[]): Block[] =>
  chunkLines(lines, SLACK_LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));

function renderBlock(block: ReplyBlock, index: number): Block[] {
  switch (block.kind) {
    case 'header':
      return [{ type: 'header', text: { type: 'plain_text', text: fitText(block.text, SLACK_LIMITS.headerText), emoji: true } }];
    case 'text':
      return sections(escapeMrkdwn(block.text).split('\n'));
    case 'context': {
      const pieces = chunkLines(escapeMrkdwn(block.text).split('\n'), SLACK_LIMITS.sectionText);
      return groupsOf(pieces, SLACK_LIMITS.contextElements).map((group) => ({ type: 'context', elements: group.map((text) => ({ type: 'mrkdwn', text })) }));
    }
    case 'fields':
      return groupsOf(block.fields, SLACK_LIMITS.fieldsPerSection).map((group) => ({
        type: 'section',
        fields: group.map((f) => ({ type: 'mrkdwn', text: fitText(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText) })),
      }));
    case 'list':
      return sections(block.items.map((i) => `• ${escapeMrkdwn(i)}`));
    case 'actions':
      return groupsOf(block.buttons, SLACK_LIMITS.buttonsPerActions).map((group, g) => ({
        type: 'actions',
        block_id: g === 0 ? `actions-${index}` : `actions-${index}-${g}`,
        elements: group.map((b, i) => ({
          type: 'button',
          // action_id must be unique inside a block; the index keeps two buttons of the
          // same action apart.
          action_id: `${SLACK_ACTION_PREFIX}${b.action}:${g * SLACK_LIMITS.buttonsPerActions + i}`,
          text: { type: 'plain_text', text: fitText(b.label, SLACK_LIMITS.buttonText), emoji: true },
          value: JSON.stringify(b.value),
          ...(b.style ? { style: b.style } : {}),
        })),
      }));
    case 'divider':
      return [{ type: 'divider' }];
    case 'image':
      // Slack shows a reply's images as the files of the message they are uploaded with
      // (files.uploadV2 with the blocks): nothing to render here.
      return [];
  }
}

/** "kehu:claim.contest:0" → "claim.contest" */
export function slackActionName(actionId: string): string | undefined {
  if (!actionId.startsWith(SLACK_ACTION_PREFIX)) return undefined;
  return actionId.slice(SLACK_ACTION_PREFIX.length).replace(/:\d+$/, '');
}
