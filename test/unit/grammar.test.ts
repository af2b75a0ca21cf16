import { describe, expect, it } from 'vitest';
import { normaliseInput, parseInput, suggest, tokenize } from '../../src/chat/grammar.ts';
import { COMMANDS } from '../../src/chat/commands/index.ts';

describe('command grammar', () => {
  it('strips /kehu, kehu and Lark mention placeholders', () => {
    expect(normaliseInput('/kehu help')).toBe('help');
    expect(normaliseInput('kehu   whoami')).toBe('whoami');
    expect(normaliseInput('@_user_1 whoami')).toBe('whoami');
    expect(normaliseInput('@_user_1 @_user_2 /kehu 帮助')).toBe('帮助');
    expect(normaliseInput('\u3000帮助\u3000')).toBe('帮助');
  });

  it('finds commands by name and Chinese alias, keeping the arguments', () => {
    expect(parseInput('help whoami', COMMANDS)).toEqual({ kind: 'command', name: 'help', args: 'whoami' });
    expect(parseInput('帮助', COMMANDS)).toEqual({ kind: 'command', name: 'help', args: '' });
    expect(parseInput('我是谁', COMMANDS)).toEqual({ kind: 'command', name: 'whoami', args: '' });
    expect(parseInput('WHOAMI', COMMANDS)).toEqual({ kind: 'command', name: 'whoami', args: '' });
    // full-width letters typed with a Chinese IME
    expect(parseInput('ｈｅｌｐ', COMMANDS)).toEqual({ kind: 'command', name: 'help', args: '' });
  });

  it('answers empty input as empty', () => {
    expect(parseInput('  /kehu  ', COMMANDS)).toEqual({ kind: 'empty' });
  });

  it('suggests close commands for typos and prefixes', () => {
    expect(parseInput('hlep', COMMANDS)).toEqual({ kind: 'unknown', input: 'hlep', suggestions: ['help'] });
    expect(suggest('whoam', COMMANDS)).toEqual(['whoami', 'who']);
    expect(suggest('我是', COMMANDS)).toEqual(['whoami', 'mine']);
    expect(suggest('xyzzy', COMMANDS)).toEqual([]);
  });

  it('tokenizes quoted names', () => {
    expect(tokenize('"Acme Co., Ltd." 25 「北京 字节」 “上海 公司”')).toEqual(['Acme Co., Ltd.', '25', '北京 字节', '上海 公司']);
  });
});
