// The one command grammar shared by Slack, Lark and the shell: `[/kehu] <command> [args]`,
// English names with Chinese aliases, and "did you mean …?" for near misses.
// Argument validation is per command (zod), in the command's own module.
import { distance } from 'fastest-levenshtein';

export interface CommandName {
  name: string;
  aliases: readonly string[];
}

export type ParsedInput =
  | { kind: 'command'; name: string; args: string }
  | { kind: 'unknown'; input: string; suggestions: string[] }
  | { kind: 'empty' };

// Lark puts "@_user_1" where a mention was; Slack slash text never has the command.
const LEADING_NOISE = /^(?:\s*@_user_\d+\s*|\s*@\S+\s+)*\s*(?:\/?kehu\b)?\s*/iu;

/** Normalises what a person typed: full-width spaces, prefixes, surrounding blanks. */
export function normaliseInput(text: string): string {
  return text.replace(/\u3000/g, ' ').replace(LEADING_NOISE, '').trim();
}

export function parseInput(text: string, commands: readonly CommandName[]): ParsedInput {
  const clean = normaliseInput(text);
  if (clean === '') return { kind: 'empty' };
  const match = /^(\S+)\s*([\s\S]*)$/u.exec(clean)!;
  // NFKC turns full-width letters (ｈｅｌｐ) into ASCII; the args keep what was typed.
  const word = match[1]!.normalize('NFKC').toLowerCase();
  const args = match[2]!.trim();
  for (const c of commands) {
    if (c.name === word || c.aliases.includes(word)) return { kind: 'command', name: c.name, args };
  }
  return { kind: 'unknown', input: match[1]!, suggestions: suggest(word, commands) };
}

/** Commands within a small edit distance of what was typed (or that it starts), closest first. */
export function suggest(word: string, commands: readonly CommandName[]): string[] {
  // Two typos are plausible in a long Latin word; in a short or Chinese one, only one.
  const limit = /^[\x00-\x7f]{4,}$/.test(word) ? 2 : 1;
  const scored: { name: string; d: number }[] = [];
  for (const c of commands) {
    const names = [c.name, ...c.aliases];
    const d = Math.min(...names.map((n) => distance(word, n)));
    const prefix = word.length >= 2 && names.some((n) => n.startsWith(word));
    if (d <= limit || prefix) scored.push({ name: c.name, d: prefix ? 0 : d });
  }
  return scored.sort((a, b) => a.d - b.d).slice(0, 3).map((s) => s.name);
}

/** Splits arguments on blanks, keeping "quoted words", 「引号」 and “quotes” together. */
export function tokenize(args: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)/gu;
  for (const m of args.matchAll(re)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  return tokens;
}
