import type { DstackGpuRequest } from './dstackGpu';
// The contract between the parsers (text in) and everything above them (facts, rules, fixes).
// Parsers know nothing of memory; every range here is a document offset range.
import type { OffsetRange } from '../shared/findings';

/**
 * A string as a program sees it after decoding (shell quotes, escapes, `\` continuations, JSON or
 * YAML escapes), with the document offset of every character, so a range inside the decoded
 * string maps back to the exact source range.
 */
export interface MappedText {
  text: string;
  /** offsets[i] is the document offset of text[i]; offsets[text.length] is the offset just past it. */
  offsets: number[];
}

/**
 * Which lm-eval parser reads the string (reference/lm-eval.md §4.4):
 * - `cli`: the v0.4.10+ CLI (`MergeDictAction` + `key_val_to_dict`): split on every comma, first `=`.
 * - `python-string`: `simple_parse_args_string` (Python API, string values in `--config` files,
 *   the v0.4.9 CLI): empty pieces dropped, quotes stripped, values stripped.
 * - `json`: a JSON object (the CLI tries the first value as JSON).
 * - `mapping`: a structured mapping written in the host language (YAML mapping, Python dict literal).
 * - `vllm-cli`: `vllm serve` flags (`--gpu-memory-utilization 0.8`); keys are the flags with `_`
 *   for `-` (vLLM's EngineArgs field names), the model is `model`.
 */
export type ModelArgsDialect = 'cli' | 'python-string' | 'json' | 'mapping' | 'vllm-cli';

/** A model_args text as lm-eval reads it: its pairs and what it would choke on. */
export interface ParsedModelArgs {
  dialect: ModelArgsDialect;
  args: ModelArg[];
  problems: ModelArgsProblem[];
}

export type ArgValue = string | number | boolean | null | ArgValue[] | { [key: string]: ArgValue };

export interface ModelArg {
  key: string;
  /** The value after lm-eval's own coercion for the dialect (`true` → boolean, `0.6` → number, ...). */
  value: ArgValue;
  /** The value text as lm-eval receives it, before coercion (after shell/host-language decoding). */
  rawValue: string;
  keyRange: OffsetRange;
  valueRange: OffsetRange;
  /** The whole `key=value` (or `key: value`, `"key": value`) in the source. */
  range: OffsetRange;
  /** True when the value is not known statically (`$VAR`, `${X}`, an f-string hole, a variable). */
  unresolved?: boolean;
  /** The key itself is not known (`$EXTRA_ARGS` may expand to any pairs): nothing can be said about it. */
  keyUnresolved?: boolean;
}

export type ModelArgsProblemKind =
  | 'empty-pair' // `a=1,,b=2` or a trailing comma under the CLI parser: ValueError
  | 'bare-key' // `a=1,flag`: ValueError under the CLI parser, `flag=""` under the string parser
  | 'comma-in-value' // a value that was meant to hold a comma (a list, a quoted string, a dict)
  | 'unbalanced-quote'
  | 'invalid-json' // starts with `{` but is not JSON: the CLI raises ValueError
  | 'apostrophe-in-value' // `until=Bob's`: newer quote-aware splitters swallow later pairs (#4178)
  | 'duplicate-key' // last one wins
  | 'whitespace-in-key'; // keys are not stripped: ` dtype` is a different key

export interface ModelArgsProblem {
  kind: ModelArgsProblemKind;
  message: string;
  range: OffsetRange;
  severity: 'error' | 'warning';
}

/** How to add a pair or rewrite a value in the user's own style. */
export type ModelArgsEditStyle =
  | { kind: 'kv-string'; separator: string } // `a=1,b=2` inside whatever quoting the host uses
  | { kind: 'json-object'; separator: string } // `{"a": 1}` inside a host string
  | { kind: 'python-dict'; keyQuote: '"' | "'"; separator: string }
  | { kind: 'yaml-mapping'; indent: string; flow: boolean }
  // `--max-model-len 4096` words of a `vllm serve` command; `appendable: false` when they are items
  // of a YAML sequence (a Kubernetes `args:` list), where a flag cannot be appended as text.
  | { kind: 'cli-flags'; appendable?: false };

export interface ModelArgsBlock {
  dialect: ModelArgsDialect;
  /** The whole value as written in the document (including host quotes). */
  range: OffsetRange;
  /** Where a new pair is inserted (just after the last pair, or inside empty braces). */
  insertOffset: number;
  /** The text of the host string around the args is escaped this way when inserting. */
  hostEscaping: 'none' | 'json' | 'python' | 'shell-double' | 'shell-single' | 'yaml-double' | 'yaml-single';
  style: ModelArgsEditStyle;
  args: ModelArg[];
  problems: ModelArgsProblem[];
  /**
   * Read from lm-eval's command line (`--model_args`, `--gen_kwargs`), whose parser changed with
   * the release (JSON from 0.4.9; several values and strict pairs from 0.4.10): the values after
   * the first of an occurrence (`--model_args a=1, b=2`: `b=2`).
   */
  commandLine?: { laterValues: OffsetRange[] };
}

export interface Located<T> {
  value: T;
  range: OffsetRange;
  /** The file does not determine the value (`model=backend_of(args)`): `value` is the text as written. */
  unresolved?: boolean;
}

export type EmbeddingKind = 'shell' | 'python' | 'run-config' | 'json' | 'notebook' | 'markdown' | 'container-spec';

/** Something about how a launch is written that changes what runs (a `\ ` before the line end). */
export interface LaunchTextProblem {
  code: 'broken-line-continuation';
  message: string;
  range: OffsetRange;
}

/** Where a `vllm serve` / OpenAI-compatible server listens, as its flags say (defaults 0.0.0.0:8000). */
export interface ServerEndpoint {
  form: 'vllm-serve' | 'api-server' | 'docker';
  host?: Located<string>;
  port?: Located<string>;
  servedModelName?: Located<string>;
}

export interface TaskName {
  name: string;
  range: OffsetRange;
}

/**
 * One launch found in a document, with every setting we read and where it is written: an lm-eval
 * run, or (program `vllm-serve`) a vLLM OpenAI-compatible server whose flags are the model args.
 */
export interface LmEvalInvocation {
  embedding: EmbeddingKind;
  /** Absent: lm-eval. `vllm-serve`: `vllm serve`, `python -m vllm.entrypoints.openai.api_server`, the vllm-openai image. */
  program?: 'vllm-serve';
  /** For a server: where it listens. */
  server?: ServerEndpoint;
  /** How the launch is written changes what runs (reported by rules). */
  textProblems?: LaunchTextProblem[];
  /** The whole command, call or run-config file. */
  range: OffsetRange;
  /** `--model` / `model=` / `model:`; absent means lm-eval's default (`hf`). */
  model?: Located<string>;
  modelArgs?: ModelArgsBlock;
  tasks?: TaskName[];
  batchSize?: Located<string>;
  maxBatchSize?: Located<string>;
  device?: Located<string>;
  genKwargs?: ModelArgsBlock;
  numFewshot?: Located<string>;
  includePath?: Located<string>[];
  applyChatTemplate?: Located<string>;
  /** Environment variables set for this command: `VAR=x lm_eval ...`, `export VAR=x` earlier in a script, `os.environ[...]` in Python. */
  env: Record<string, Located<string>>;
  /** A wrapper around lm-eval such as `accelerate launch`, `torchrun`, `srun`. */
  launcher?: Located<string>;
  /** The container of a Kubernetes manifest or compose file the launch runs in (its image, its lines). */
  container?: OffsetRange;
  /** Defaults the file's values were taken from (by document range); some may not reach this launch. */
  defaults?: readonly DefaultValue[];
  /** The GPUs a service spec asks for (dstack's `resources: gpu:`), with where it is written. */
  gpuRequest?: { request: DstackGpuRequest; range: OffsetRange };
}

/**
 * A value the launch takes from a default that whoever runs it may override: `${1:-X}` (the
 * script's argument), `${VAR:-X}` / `${VAR:=X}` with VAR not set in the file (the environment),
 * an argparse `default=`, `os.environ.get("K", X)`. The launch is judged with X, but not as certain.
 */
export interface DefaultValue {
  /** The default as the program receives it. */
  value: string;
  /** Where its characters are written in the document. */
  range: OffsetRange;
  /** What it is the default of, in words: "`${1:-…}` (the script's argument 1)". */
  of: string;
}

/** Hints about the document, used to decide which extractor applies. */
export interface DocumentKind {
  /** File path or URI path; only its extension and name are used. */
  path: string;
  /** VS Code language id when known (`shellscript`, `python`, `yaml`, `json`, `jsonc`, `markdown`, ...). */
  languageId?: string;
  /** The text is one cell of a notebook (VS Code's per-cell documents). */
  notebookCell?: boolean;
}
