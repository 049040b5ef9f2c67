// In-file expectations for rule fixtures (test/fixtures/rules/<code>/), written as comment lines so
// the fixture stays a valid script or config (actions/languageservices' `# want` testdata):
//
//   # want: CODE "fragment"                a CODE finding starts on the next line that is not a
//                                           marker (and, with `at "text"`, flags exactly that text)
//   # want: CODE "fragment" at "doc_to_txt"
//   # ^want: CODE "fragment" at "text"     the same for the previous line that is not a marker (when
//                                           nothing can be written above it: inside a quoted string)
//   #     ^^^^ want: CODE "fragment"        a CODE finding on the previous line that is not a marker,
//                                           exactly under the carets (`^^^^+`: it starts there and
//                                           continues past the end of that line)
//
//   # want: error CODE "fragment"          the same, and the finding has that severity (error,
//                                           warning, info or hint; any severity when none is written)
//
// The fragment must occur in the finding's message. Every finding located in the fixture must match
// one marker and every marker one finding, so a fixture without a `want: CODE` proves CODE silent.

export interface WantMarker {
  code: string;
  fragment: string;
  /** 0-based line the finding starts on. */
  line: number;
  /** Caret markers: the exact start column and (unless `continues`) end column, UTF-16. */
  startColumn?: number;
  endColumn?: number;
  continues?: boolean;
  /** `at "text"`: the source text the finding's range covers. */
  flagged?: string;
  /** `want: error CODE …`: the severity the finding must have. */
  severity?: 'error' | 'warning' | 'info' | 'hint';
  /** 1-based line of the marker itself, for messages. */
  markerLine: number;
}

const LINE_FORM =
  /^\s*#\s*(\^?)want:\s*(?:(error|warning|info|hint)\s+)?([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"(?:\s+at\s+"((?:[^"\\]|\\.)*)")?\s*$/;
const CARET_FORM = /^(\s*#\s*)(\^+)(\+?)\s+want:\s*([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"\s*$/;
const ANY_MARKER = /^\s*#.*\bwant:/;

export function parseWantMarkers(text: string): WantMarker[] {
  const lines = text.split('\n');
  const isMarker = (l: string) => ANY_MARKER.test(l);
  const out: WantMarker[] = [];
  lines.forEach((l, i) => {
    if (!isMarker(l)) return;
    const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
    const caret = CARET_FORM.exec(l);
    if (caret) {
      let target = i - 1;
      while (target >= 0 && isMarker(lines[target])) target--;
      if (target < 0) throw new Error(`line ${i + 1}: a caret marker needs a line above it`);
      const startColumn = caret[1].length;
      out.push({
        code: caret[4],
        fragment: unquote(caret[5]),
        line: target,
        startColumn,
        endColumn: startColumn + caret[2].length,
        continues: caret[3] === '+',
        markerLine: i + 1,
      });
      return;
    }
    const plain = LINE_FORM.exec(l);
    if (!plain) throw new Error(`line ${i + 1}: malformed marker (want: CODE "fragment"): ${l}`);
    const step = plain[1] ? -1 : 1;
    let target = i + step;
    while (target >= 0 && target < lines.length && isMarker(lines[target])) target += step;
    if (target < 0 || target >= lines.length) throw new Error(`line ${i + 1}: no line for the marker to point at`);
    out.push({
      code: plain[3],
      fragment: unquote(plain[4]),
      line: target,
      ...(plain[5] !== undefined ? { flagged: unquote(plain[5]) } : {}),
      ...(plain[2] !== undefined ? { severity: plain[2] as WantMarker['severity'] } : {}),
      markerLine: i + 1,
    });
  });
  return out;
}
