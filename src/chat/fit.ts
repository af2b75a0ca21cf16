// The platforms' size limits, and the one way every renderer fits text to them: labels
// and titles are cut with an ellipsis (never inside a surrogate pair), while lists and long
// texts are split into several pieces so that no row is ever lost. Pure: no I/O.
//
// Lengths are counted in UTF-16 code units (String#length), which is never less than the
// characters a platform counts, so what fits here fits there.

/** Block Kit (docs.slack.dev, reference/block-kit): the limits kehu's replies can reach. */
export const SLACK_LIMITS = {
  /** A section's `text`, and each context element. */
  sectionText: 3000,
  /** Each of a section's `fields`. */
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonsPerActions: 25,
  contextElements: 10,
  /** Blocks in one message (chat.postMessage, response_url). */
  blocksPerMessage: 50,
  /** Blocks in an App Home view. */
  blocksPerView: 100,
  /** The top-level `text` (the notification and fallback line) kehu sends. */
  messageText: 3000,
} as const;

/** Lark card JSON 2.0 (open.feishu.cn, feishu-cards): button text, title and summary. */
export const LARK_LIMITS = {
  /** A button's plain_text label (a 226-character label was refused). */
  buttonText: 100,
  headerTitle: 100,
  /** `config.summary.content`: the line in the chat list. */
  summary: 120,
  /** A select option's plain_text (kept as short as Slack's). */
  optionText: 75,
} as const;

const ELLIPSIS = '…';

/** Is the code unit at i the second half of a surrogate pair? */
const isLowSurrogateAt = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
};

/** The longest prefix of s of at most n code units that does not end inside a surrogate pair. */
function prefix(s: string, n: number): string {
  if (s.length <= n) return s;
  return s.slice(0, isLowSurrogateAt(s, n) ? n - 1 : n);
}

/** s, or its start with an ellipsis, in at most `max` code units. */
export function fitText(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${prefix(s, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

/**
 * The lines grouped, in order, into as few pieces as possible, each at most `max` code
 * units when joined by `separator`. A single line longer than `max` is cut into several
 * pieces (at code point boundaries): nothing is dropped.
 */
export function chunkLines(lines: readonly string[], max: number, separator = '\n'): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  const flush = () => {
    if (current !== undefined) chunks.push(current);
    current = undefined;
  };
  for (const line of lines) {
    let rest = line;
    while (rest.length > max) {
      flush();
      const piece = prefix(rest, max);
      chunks.push(piece);
      rest = rest.slice(piece.length);
    }
    if (current !== undefined && current.length + separator.length + rest.length <= max) current += separator + rest;
    else {
      flush();
      current = rest;
    }
  }
  flush();
  return chunks;
}

/** The items in consecutive groups of at most `size`. */
export function groupsOf<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
