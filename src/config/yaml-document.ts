// A config file's YAML with what its error messages need: the syntax errors by line, and
// `where(path)`, a path inside the document as `departments[2].head (line 14)`. The org file
// and the service catalog both report their problems through it.
import { LineCounter, parseDocument } from 'yaml';

export type YamlPath = (string | number)[];

export interface YamlDocument {
  /** "line N: what is wrong", one per syntax error; none when the text parsed. */
  syntaxErrors: string[];
  /** The document as plain data (for the zod schema). */
  value: unknown;
  where(path: YamlPath): string;
}

export function readYaml(text: string): YamlDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return {
    syntaxErrors: doc.errors.map((e) => `line ${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`),
    get value() {
      return doc.toJS();
    },
    where(path) {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const line = node?.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : '';
      return `${path.length ? path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('') : '(top level)'}${line}`;
    },
  };
}
