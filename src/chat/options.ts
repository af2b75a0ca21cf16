// `key:value` options inside command arguments (`认领 华为 信用代码:9135… 城市:深圳`),
// with English and Chinese keys, values with spaces in quotes (`contact:"Wang Fang"`); what is
// not an option stays positional. One-line forms (form.ts) read their options here too.

export function splitOptions(
  args: string,
  keys: Record<string, readonly string[]>,
): { positional: string[]; options: Record<string, string> } {
  const alias = new Map<string, string>();
  for (const [canonical, names] of Object.entries(keys)) for (const n of [canonical, ...names]) alias.set(n.toLowerCase(), canonical);
  const positional: string[] = [];
  const options: Record<string, string> = {};
  let last: string | undefined;
  for (const token of optionTokens(args)) {
    const m = /^([^:=：]+)[:=：](.*)$/su.exec(token);
    const key = m ? alias.get(m[1]!.toLowerCase()) : undefined;
    if (m && key) {
      options[key] = m[2]!.trim();
      last = key;
    } else if (last) {
      // "need:a new ERP system" — words after an option continue its value.
      options[last] = `${options[last]} ${token}`.trim();
    } else positional.push(token);
  }
  return { positional, options };
}

/** Words of the arguments; a quoted word or value stays one (`"Acme Ltd"`, `contact:"Wang Fang"`, `备注:「下周 再联系」`). */
function optionTokens(args: string): string[] {
  const re = /(?:[^\s"“「:：=]+[:：=])?(?:"([^"]*)"|“([^”]*)”|「([^」]*)」)|\S+/gu;
  return [...args.matchAll(re)].map((m) => {
    const quoted = m[1] ?? m[2] ?? m[3];
    if (quoted === undefined) return m[0];
    return (/^[^"“「]*[:：=]/u.exec(m[0])?.[0] ?? '') + quoted;
  });
}
