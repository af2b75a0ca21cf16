// JSON.parse for strings from outside (a button's value, a form's metadata): undefined
// instead of a throw, so a malformed one is refused in words by whoever validates it.
export function safeParseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
