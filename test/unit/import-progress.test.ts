// The import's progress line: its wording, silent off a terminal and for short files, one
// line redrawn in place on a terminal, cleared before the report.
import { describe, expect, it } from 'vitest';
import { formatProgress, progressLine } from '../../src/cli/import-progress.ts';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (s: string) => written.push(s) };
}

describe('import progress', () => {
  it('says rows read, refused, written and the rate', () => {
    expect(formatProgress({ read: 12_345, refused: 7, written: 0, rowsPerSecond: 4_119.6 })).toBe('12,345 rows read, 7 refused, 0 written · 4,120 rows/s');
  });

  it('is silent when stderr is not a terminal, however long the import', () => {
    let t = 0;
    const out = terminal(false);
    const line = progressLine(out, () => t);
    for (; t < 60_000; t += 100) line.update({ read: t, refused: 0, written: 0 });
    line.done();
    expect(out.written).toEqual([]);
    expect(() => progressLine(undefined).update({ read: 1, refused: 0, written: 0 })).not.toThrow();
  });

  it('on a terminal draws nothing for the first two seconds, then one line in place, cleared at the end', () => {
    let t = 0;
    const out = terminal(true);
    const line = progressLine(out, () => t);
    for (; t < 1_900; t += 100) line.update({ read: t * 10, refused: 0, written: 0 });
    expect(out.written).toEqual([]);
    t = 2_000;
    line.update({ read: 20_000, refused: 3, written: 0 });
    expect(out.written).toEqual(['\r20,000 rows read, 3 refused, 0 written · 10,000 rows/s\x1b[K']);
    t = 2_100;
    line.update({ read: 21_000, refused: 3, written: 0 }); // within the redraw interval: not drawn
    expect(out.written).toHaveLength(1);
    // Writing: the rate is of customers written since the write began.
    t = 3_000;
    line.update({ read: 30_000, refused: 3, written: 1_000 });
    t = 4_000;
    line.update({ read: 30_000, refused: 3, written: 5_000 });
    expect(out.written.at(-1)).toBe('\r30,000 rows read, 3 refused, 5,000 written · 5,000 rows/s\x1b[K');
    line.done();
    expect(out.written.at(-1)).toBe('\r\x1b[K');
  });

  it('clears nothing when it never drew', () => {
    const out = terminal(true);
    const line = progressLine(out, () => 0);
    line.update({ read: 10, refused: 0, written: 0 });
    line.done();
    expect(out.written).toEqual([]);
  });
});
