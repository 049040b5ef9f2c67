// One log line as vLLM or lm-eval wrote it, without what wrappers add around it: ANSI colours,
// timestamps (docker, Kubernetes, CI), the process labels of interleaved ranks
// ((VllmWorkerProcess pid=…), (RayWorkerWrapper pid=…), (EngineCore_0 pid=…), (Worker_TP1 pid=…),
// [rank3]:, srun's "0: "), and the logger's own level/date/file prefix.

export interface CleanLine {
  /** The message itself, trimmed. */
  text: string;
  /** The process or rank label, when one was written. */
  source?: string;
  level?: string;
  /** YYYY-MM-DD of a timestamp prefix that carries the year (lm-eval's, CI's, Kubernetes'). */
  date?: string;
  /** A wrapper's or logger's prefix was removed (a line a terminal wrapped goes on without one). */
  prefixed?: true;
}

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks), and two-byte escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are control characters
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

interface Prefix {
  re: RegExp;
  source?: (m: RegExpExecArray) => string;
  level?: (m: RegExpExecArray) => string;
  date?: (m: RegExpExecArray) => string;
}

const PREFIXES: Prefix[] = [
  // [2026-02-24T20:21:58Z] (CI), 2025-06-01T12:00:00.123456789Z (kubectl --timestamps), 2024-06-04 10:12:13,123
  {
    re: /^\[?(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?\s+/,
    date: (m) => m[1],
  },
  // docker compose: "vllm-1  | "
  { re: /^[\w.-]{1,64}\s+\|\s/ },
  // (VllmWorkerProcess pid=123), (RayWorkerWrapper pid=1, ip=10.0.0.2), (VllmWorker rank=0 pid=9), (EngineCore_DP0 pid=7)
  {
    re: /^\(([A-Za-z_][\w.-]*)(?:\s+rank=(\d+))?\s+pid=(\d+)(?:,\s*ip=[\w.:-]+)?\)\s*/,
    source: (m) => `${m[1]}${m[2] !== undefined ? ` rank=${m[2]}` : ''} pid=${m[3]}`,
  },
  // Ray's default actor prefix: (pid=123) or (pid=123, ip=10.0.0.2)
  { re: /^\(pid=(\d+)(?:,\s*ip=[\w.:-]+)?\)\s*/, source: (m) => `pid=${m[1]}` },
  // torch.distributed: [rank3]: / [rank0]:[W... (the warning tag stays in the text)
  { re: /^\[rank(\d+)\]:\s?/, source: (m) => `rank${m[1]}` },
  // srun --label: "0: "
  { re: /^(\d{1,4}): (?=\S)/, source: (m) => `task${m[1]}` },
  // vLLM's logger: "INFO 06-04 10:12:13 llm_engine.py:161] " (≤ 0.7) and "INFO 06-04 10:12:13 [llm_engine.py:161] "
  {
    re: /^(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\s+\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+(?:\[[^\]\s]*\]|[\w.]+:\d+\])\s?/,
    level: (m) => m[1],
  },
  // lm-eval's logger: "2024-10-30:14:04:49,179 INFO     [task.py:423] "
  {
    re: /^(\d{4}-\d{2}-\d{2}):\d{2}:\d{2}:\d{2}(?:,\d+)?\s+(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+\[[^\]]*\]\s?/,
    level: (m) => m[2],
    date: (m) => m[1],
  },
  // lm-eval ≥ 0.4.9 after its timestamp: "INFO __main__.py:450: "
  { re: /^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+[\w.]+:\d+:\s/, level: (m) => m[1] },
  // Python logging's default format: "INFO:lm-eval:..." / "WARNING:root:..."
  { re: /^(DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.-]+:/, level: (m) => m[1] },
];

// The same colour codes pasted in caret notation, as `cat -v` and some terminals show them: ^[[0;36m.
const CARET_ANSI = /\^\[\[[0-?]*[ -/]*[@-~]/g;
// Markup a paste adds around every line, which is not part of the log and not a label: a Markdown or
// GitHub quote bar (`> `, `▎ `), a box border (`│ … │`, kubectl and TUI frames; the closing one is
// removed after the text is trimmed).
const QUOTE_MARKS = /^(?:[▎▍▌│┃]\s?|>\s)+/;
// A CI viewer's gutter (Buildkite's "  | ", a compose log whose service name was cut): a bar and a space
// before the line. A Markdown table row (lm-eval's results) also starts with a bar but ends with one.
const GUTTER = /^\s*\|(?: |$)/;

function endsWithBar(text: string): boolean {
  let end = text.length - 1;
  while (end >= 0 && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end--;
  return text.charCodeAt(end) === 0x7c;
}

export function cleanLine(raw: string): CleanLine {
  let text = raw.indexOf('\x1b') >= 0 ? raw.replace(ANSI, '') : raw;
  if (text.indexOf('^[[') >= 0) text = text.replace(CARET_ANSI, '');
  const first = text.charCodeAt(0);
  // Cheap tests first: the markup is rare and a log has millions of lines.
  if (first === 0x3e || (first >= 0x2500 && first <= 0x259f)) text = text.replace(QUOTE_MARKS, '');
  if ((first === 0x20 || first === 0x7c) && GUTTER.test(text) && !endsWithBar(text)) text = text.replace(GUTTER, '');
  let end = text.length - 1;
  while (end >= 0 && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end--;
  if (end >= 0 && (text.charCodeAt(end) === 0x2502 || text.charCodeAt(end) === 0x2503)) text = text.slice(0, end);
  let source: string | undefined;
  let level: string | undefined;
  let date: string | undefined;
  let prefixed = false;
  text = text.trimStart();
  // Wrappers nest (a timestamp, then a rank, then the logger prefix): peel until none matches.
  for (let round = 0; round < 8; round++) {
    let matched = false;
    for (const p of PREFIXES) {
      const m = p.re.exec(text);
      if (!m) continue;
      if (p.source) source ??= p.source(m);
      if (p.level) level ??= p.level(m);
      if (p.date) date ??= p.date(m);
      text = text.slice(m[0].length).trimStart();
      matched = true;
      prefixed = true;
    }
    if (!matched) break;
  }
  const out: CleanLine = { text: text.trimEnd() };
  if (source) out.source = source;
  if (level) out.level = level;
  if (date) out.date = date;
  if (prefixed) out.prefixed = true;
  return out;
}
