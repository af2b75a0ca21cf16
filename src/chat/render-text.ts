// Renders a Reply as plain terminal text (the shell front end). Buttons are numbered so
// that typing the number presses them.
import type { Reply } from './reply.ts';

/** `imagePaths`: where the shell wrote each of the reply's images (by id). */
export function renderText(reply: Reply, imagePaths: Readonly<Record<string, string>> = {}): { text: string; buttons: { label: string; action: string; value: Record<string, string> }[] } {
  const lines: string[] = [];
  const buttons: { label: string; action: string; value: Record<string, string> }[] = [];
  const mark = reply.tone === 'error' ? '✗ ' : reply.tone === 'warning' ? '! ' : reply.tone === 'success' ? '✓ ' : '';
  let first = true;
  for (const block of reply.blocks) {
    const prefix = first ? mark : '';
    first = false;
    switch (block.kind) {
      case 'header':
        lines.push(`${prefix}${block.text}`, '─'.repeat(Math.min(60, displayWidth(prefix + block.text))));
        break;
      case 'text':
        lines.push(`${prefix}${block.text}`);
        break;
      case 'context':
        lines.push(`${prefix}  (${block.text})`);
        break;
      case 'fields': {
        const width = Math.max(...block.fields.map((f) => displayWidth(f.label)));
        if (prefix) lines.push(prefix.trim());
        for (const f of block.fields) lines.push(`  ${f.label}${' '.repeat(width - displayWidth(f.label))}  ${f.value}`);
        break;
      }
      case 'list':
        if (prefix) lines.push(prefix.trim());
        for (const item of block.items) lines.push(`  • ${item}`);
        break;
      case 'actions':
        lines.push(
          block.buttons
            .map((b) => {
              buttons.push(b);
              return `[${buttons.length}] ${b.label}`;
            })
            .join('   '),
        );
        break;
      case 'divider':
        lines.push('');
        break;
      case 'image': {
        const path = imagePaths[block.imageId];
        lines.push(`${prefix}  [${block.alt}]${path ? ` ${path}` : ''}`);
        break;
      }
    }
  }
  if (buttons.length) lines.push('  (type a number to press a button)');
  return { text: lines.join('\n'), buttons };
}

/** Terminal columns: CJK characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
