// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
// 31-character alphabet (no I, O, S, V, Z); the last is a check character computed
// from the first 17 with weights 3^i mod 31.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'length' | 'characters' | 'checksum';

export function checkCreditCode(raw: string): { ok: true; code: string } | { ok: false; problem: CreditCodeProblem } {
  const code = raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== 18) return { ok: false, problem: 'length' };
  const values = [...code].map((c) => ALPHABET.indexOf(c));
  if (values.some((v) => v < 0)) return { ok: false, problem: 'characters' };
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * values[i]!, 0);
  const check = (31 - (sum % 31)) % 31;
  return check === values[17] ? { ok: true, code } : { ok: false, problem: 'checksum' };
}

/** The check character for 17 characters (for tests and fixtures). */
export function creditCodeCheckChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * ALPHABET.indexOf(first17[i]!), 0);
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}
