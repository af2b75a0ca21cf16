// The neutral reply model: what the bot says, independent of where it says it.
// Renderers turn a Reply into Slack Block Kit (render-slack.ts), a Lark card JSON 2.0
// (render-lark.ts) or terminal text (render-text.ts); all three are pure functions.
// A reply may carry a file (attachment.ts), which the front ends deliver themselves.
import type { ReplyAttachment } from './attachment.ts';
import type { ActionName } from './commands/index.ts';
import type { FormRequest } from './form.ts';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface ReplyButton {
  label: string;
  /** A registered action (chat/commands/index.ts); routed by chat/dispatch.ts. */
  action: ActionName;
  /** Small string map carried back when the button is pressed. */
  value: Record<string, string>;
  style?: 'primary' | 'danger';
}

export type ReplyBlock =
  | { kind: 'header'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'fields'; fields: { label: string; value: string }[] }
  | { kind: 'list'; items: string[] }
  | { kind: 'actions'; buttons: ReplyButton[] }
  | { kind: 'context'; text: string }
  | { kind: 'divider' }
  /** A picture of `Reply.images` (by id): Lark shows it in the card, Slack with the message, the shell as a file. */
  | { kind: 'image'; imageId: string; alt: string };

/** A PNG that goes with a reply (the digest's charts), uploaded by each front end its own way. */
export interface ReplyImage {
  id: string;
  /** Safe as a file name everywhere (no path separators). */
  filename: string;
  title: string;
  alt: string;
  png: Uint8Array;
}

export interface Reply {
  /** One line for notifications and for clients that cannot show blocks. */
  summary: string;
  tone: Tone;
  blocks: ReplyBlock[];
  /** A file that goes with the reply (delivered before the reply is shown). */
  attachment?: ReplyAttachment;
  /**
   * A form to open (forms.ts): a modal on Slack, a card form on Lark, questions in the shell.
   * The blocks say what the form is for, for a front end that cannot open it at once.
   */
  form?: FormRequest;
  /** Pictures the `image` blocks show (never in a queued job's payload: built where they are sent). */
  images?: ReplyImage[];
  /** Worth interrupting for (a visitor still waiting): Lark sends it as an urgent message (加急). */
  urgent?: boolean;
}

/** Small builder so use-case replies read like the message they produce. */
export function reply(summary: string, blocks: ReplyBlock[] = [], tone: Tone = 'info'): Reply {
  return { summary, tone, blocks: blocks.length ? blocks : [{ kind: 'text', text: summary }] };
}

export function errorReply(text: string, hint?: string): Reply {
  const blocks: ReplyBlock[] = [{ kind: 'text', text }];
  if (hint) blocks.push({ kind: 'context', text: hint });
  return { summary: text, tone: 'error', blocks };
}
