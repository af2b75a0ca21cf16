// Renders a Reply as a Lark (Feishu) interactive card, JSON 2.0. Pure: no I/O. Labels,
// the title and the summary are fitted to the card's limits (fit.ts).
import { fitText, LARK_LIMITS } from './fit.ts';
import type { Reply, ReplyBlock, Tone } from './reply.ts';

const TEMPLATE: Record<Tone, string> = { info: 'blue', success: 'green', warning: 'orange', error: 'red' };

// Lark markdown treats these as formatting anywhere in a line (its docs' "unconditional"
// escapes), and #, >, +, - only at the start of one; a company name like "A*B" must stay
// literal, while "(Shanghai)" needs no backslash that a client might show.
export const escapeLarkMarkdown = (s: string) =>
  s.replace(/([\\*_~`[\]<])/g, '\\$1').replace(/^(\s*)([#>+-])/gm, '$1\\$2');

export interface LarkCard {
  schema: '2.0';
  config: { update_multi: true; summary: { content: string } };
  header?: { title: { tag: 'plain_text'; content: string }; template: string };
  body: { elements: Record<string, unknown>[] };
}

/** `imageKeys`: the image_key im/v1/images gave for each of the reply's images (by id). */
export function renderLark(reply: Reply, imageKeys: Readonly<Record<string, string>> = {}): LarkCard {
  const [first, ...rest] = reply.blocks;
  const headed = first?.kind === 'header';
  const blocks = headed ? rest : reply.blocks;
  const card: LarkCard = {
    schema: '2.0',
    config: { update_multi: true, summary: { content: fitText(reply.summary, LARK_LIMITS.summary) } },
    body: { elements: blocks.flatMap((b) => renderElement(b, imageKeys)) },
  };
  if (headed) card.header = { title: { tag: 'plain_text', content: fitText(first.text, LARK_LIMITS.headerTitle) }, template: TEMPLATE[reply.tone] };
  return card;
}

function renderElement(block: ReplyBlock, imageKeys: Readonly<Record<string, string>>): Record<string, unknown>[] {
  switch (block.kind) {
    case 'header':
      return [{ tag: 'markdown', content: `**${escapeLarkMarkdown(block.text)}**` }];
    case 'text':
      return [{ tag: 'markdown', content: escapeLarkMarkdown(block.text) }];
    case 'context':
      return [{ tag: 'markdown', content: escapeLarkMarkdown(block.text), text_size: 'notation' }];
    case 'fields':
      return [
        {
          tag: 'markdown',
          content: block.fields.map((f) => `**${escapeLarkMarkdown(f.label)}**: ${escapeLarkMarkdown(f.value)}`).join('\n'),
        },
      ];
    case 'list':
      return [{ tag: 'markdown', content: block.items.map((i) => `- ${escapeLarkMarkdown(i)}`).join('\n') }];
    case 'actions':
      return [
        {
          tag: 'column_set',
          flex_mode: 'flow',
          columns: block.buttons.map((b) => ({
            tag: 'column',
            width: 'auto',
            elements: [
              {
                tag: 'button',
                text: { tag: 'plain_text', content: fitText(b.label, LARK_LIMITS.buttonText) },
                type: b.style === 'danger' ? 'danger' : b.style === 'primary' ? 'primary' : 'default',
                behaviors: [{ type: 'callback', value: { ...b.value, kehu_action: b.action } }],
              },
            ],
          })),
        },
      ];
    case 'divider':
      return [{ tag: 'hr' }];
    case 'image': {
      const key = imageKeys[block.imageId];
      if (!key) return [{ tag: 'markdown', content: escapeLarkMarkdown(block.alt), text_size: 'notation' }];
      return [{ tag: 'img', img_key: key, alt: { tag: 'plain_text', content: fitText(block.alt, 100) } }];
    }
  }
}
