// Renders a Reply as Slack Block Kit. Pure: no I/O.
import type { Reply, ReplyBlock } from './reply.ts';

// Slack's limits: header text 150 chars, section text 3000, 10 fields, 25 actions.
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const SLACK_ACTION_PREFIX = 'kehu:';

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

export function renderSlack(reply: Reply): SlackMessage {
  return { text: clip(reply.summary, 3000), blocks: reply.blocks.flatMap(renderBlock) };
}

function renderBlock(block: ReplyBlock, index: number): Record<string, unknown>[] {
  switch (block.kind) {
    case 'header':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(block.text, 150), emoji: true } }];
    case 'text':
      return [{ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(block.text), 3000) } }];
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(block.text), 3000) }] }];
    case 'fields': {
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < block.fields.length; i += 10) {
        out.push({
          type: 'section',
          fields: block.fields.slice(i, i + 10).map((f) => ({
            type: 'mrkdwn',
            text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000),
          })),
        });
      }
      return out;
    }
    case 'list':
      return [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: clip(block.items.map((i) => `• ${escapeMrkdwn(i)}`).join('\n'), 3000) },
        },
      ];
    case 'actions':
      return [
        {
          type: 'actions',
          block_id: `actions-${index}`,
          elements: block.buttons.slice(0, 25).map((b, i) => ({
            type: 'button',
            // action_id must be unique inside a block; the index keeps two buttons of the
            // same action apart.
            action_id: `${SLACK_ACTION_PREFIX}${b.action}:${i}`,
            text: { type: 'plain_text', text: clip(b.label, 75), emoji: true },
            value: JSON.stringify(b.value),
            ...(b.style ? { style: b.style } : {}),
          })),
        },
      ];
    case 'divider':
      return [{ type: 'divider' }];
  }
}

/** "kehu:claim.contest:0" → "claim.contest" */
export function slackActionName(actionId: string): string | undefined {
  if (!actionId.startsWith(SLACK_ACTION_PREFIX)) return undefined;
  return actionId.slice(SLACK_ACTION_PREFIX.length).replace(/:\d+$/, '');
}
