// The lines that say what ran: vLLM's version and engine banner, the engine config, the
// non-default args (vLLM ≥ 0.10) or argparse Namespace (`vllm serve`), lm-eval's model arguments,
// an echoed launch command, the tasks and request types lm-eval ran, and the GPU's name.
import { parseCallKwargs, parseDictRepr, parseKeyValueList, type ConfigValue } from './configLine';
import type { ReaderState } from './readerState';
import type { LogFacts, OutputTypeSeen, SettingSource } from './types';

/** Engine arguments the diagnosis reads, in vLLM's names. */
const ENGINE_KEYS = new Set([
  'model',
  'gpu_memory_utilization',
  'max_model_len',
  'dtype',
  'kv_cache_dtype',
  'quantization',
  'tensor_parallel_size',
  'pipeline_parallel_size',
  'data_parallel_size',
  'max_num_seqs',
  'max_num_batched_tokens',
  'enable_chunked_prefill',
  'enforce_eager',
  'block_size',
  'cpu_offload_gb',
  'kv_cache_memory_bytes',
  'enable_prefix_caching',
  // Not memory settings, but a command that drops them fails to load the model (bnb checkpoints, remote code).
  'load_format',
  'trust_remote_code',
]);

/** Other spellings of the same settings: vLLM's config repr, `vllm serve`'s positional, lm-eval's model_args. */
const ALIASES: Record<string, string> = {
  max_seq_len: 'max_model_len',
  model_tag: 'model',
  pretrained: 'model',
  max_length: 'max_model_len',
  max_batch_size: 'max_num_seqs',
  kv_cache_memory: 'kv_cache_memory_bytes',
};

/** How much a source is trusted: vLLM's own engine config beats what the user passed. */
const SOURCE_RANK: Record<SettingSource, number> = {
  command: 0,
  'lm-eval': 1,
  'non-default-args': 2,
  'engine-config': 3,
};

export function setSetting(
  state: ReaderState,
  key: string,
  value: ConfigValue,
  line: number,
  from: SettingSource,
): void {
  const rank = SOURCE_RANK[from];
  const facts = state.facts;
  const name = ALIASES[key] ?? key;
  if (!ENGINE_KEYS.has(name) || value === null || value === '') return;
  let v: string | number | boolean = value;
  if (name === 'dtype' && typeof v === 'string') v = v.replace(/^torch\./, '');
  // The engine config prints the enum (LoadFormat.BITSANDBYTES); the argument is its lower-case value.
  if (name === 'load_format' && typeof v === 'string') v = v.replace(/^LoadFormat\./, '').toLowerCase();
  if (typeof v === 'string' && /^(none|null)$/i.test(v)) return;
  const ranks = state.settingRanks;
  const existing = ranks.get(name);
  if (existing !== undefined && existing >= rank) return;
  ranks.set(name, rank);
  facts.settingSources[name] = from;
  if (name === 'model') {
    if (typeof v === 'string') facts.model = { value: v, line };
    return;
  }
  facts.settings[name] = { value: v, line };
}

// "(vX)" is missing from the oldest banners (vLLM 0.2.x-0.3.x: "Initializing an LLM engine with config: ...").
const ENGINE_BANNER = /Initializing an? (?:(V0|V1) )?LLM engine (?:\(v?([^)\s]+)\) )?with config: (.*)$/;
const NON_DEFAULT_ARGS = /non-default args: (\{.*)$/;
const NAMESPACE = /\bargs: Namespace\((.*)\)?\s*$/;
const LM_EVAL_ARGS = /Initializing (\S+) model, with arguments: (\{.*)$/;
// A traceback quoting the user's own `llm = LLM(model=..., ...)` (or `vllm.LLM(...)`) line.
export const ENGINE_CALL = /(?:^|[^\w.])(?:vllm\.)?LLM\((.*)\)\s*$/;
const LM_EVAL_HEADER = /^(vllm|vllm-vlm|local-completions|local-chat-completions) \((.*)\), gen_kwargs: \(/;
const SERVER_VERSION = /vLLM API server version ([\w.+-]+)/;
const COLLECT_ENV_VERSION = /^vLLM [Vv]ersion\s*:\s*([\w.+-]+)/;
const PIP_VERSION = /^vllm(?:==|\s+)(\d+\.\d+[\w.+-]*)\s*$/;
const FALLBACK_V0 = /Falling back to V0|Using V0 LLM engine|VLLM_USE_V1=0\b/;
const ENV_ASSIGN =
  /\b(VLLM_USE_V1|VLLM_ALLOW_LONG_MAX_MODEL_LEN|VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS|CUDA_VISIBLE_DEVICES)=(\S+)/g;
const ECHOED_LAUNCH =
  /(?:^|[\s;+]|\$ )((?:\S+=\S+\s+)*(?:(?:python\d*(?:\.\d+)?\s+-m\s+)?lm[_-]eval\b(?:\s+run)?\s.*--model(?:=|\s)|vllm\s+serve\s).*)$/;
// set -x (`+ bash eval.sh`, `++ sbatch ...`) or a prompt (`$ python run.py`) running a script.
const SCRIPT_RUN =
  /^(?:\++|\$)\s+(?:\S+=\S+\s+)*(?:bash|sh|zsh|sbatch|srun|source|python\d*(?:\.\d+)?)\s+(?:-\S+\s+)*([^\s;|&]+\.(?:sh|bash|slurm|sbatch|job|py))\b/;
const SELECTED_TASKS = /(?:Selected Tasks|Tasks to evaluate|tasks):\s*\[(.*)\]/;
const BUILDING_CONTEXTS = /Building contexts for (\S+) on rank \d+/;
const RUNNING_REQUESTS = /Running (loglikelihood_rolling|loglikelihood|generate_until|multiple_choice) requests/;
const GPU_NAME_LIST = /\bGPU \d+: (NVIDIA [^(|]+?)\s*(?:\(UUID|$)/;
const GPU_NAME_SMI = /^\|\s+\d+\s+(NVIDIA [\w -]+?)\s{2,}(?:On|Off)\s+\|/;
// Messages that exist only from some release on: the oldest release they imply.
const VERSION_HINTS: [RegExp, string, string][] = [
  [/CUDA graph memory profiling is enabled \(default since v0\.21\.0\)/, '0.21.0', 'graph profiling is on by default'],
  [/In v0\.19, CUDA graph memory profiling will be enabled by default/, '0.18.0', 'the graph-profiling notice'],
  [/Profiling CUDA graph memory: |Estimated CUDA graph memory: /, '0.18.0', 'graph memory profiling'],
];
const RESULTS_TABLE = /^\|\s*(?:Tasks|Groups)\s*\|\s*Version\s*\|/;

const MAX_TASKS = 64;

function addTask(facts: LogFacts, name: string): void {
  const n = name.trim().replace(/^['"]|['"]$/g, '');
  if (n && facts.tasks.length < MAX_TASKS && !facts.tasks.includes(n)) facts.tasks.push(n);
}

function applyAll(state: ReaderState, pairs: Record<string, ConfigValue>, line: number, from: SettingSource): void {
  for (const [k, v] of Object.entries(pairs)) setSetting(state, k, v, line, from);
}

type LineRule = [RegExp, (m: RegExpExecArray, state: ReaderState, line: number) => void];

/** Lines that are wholly one fact, first match wins. */
const LINE_RULES: LineRule[] = [
  [
    ENGINE_BANNER,
    (m, state, line) => {
      const facts = state.facts;
      facts.vllmSeen = true;
      if (m[2]) facts.version ??= { value: m[2], line };
      // "an LLM engine" is V0 (≤ 0.7 always; 0.8–0.10 print "a V0 LLM engine" for the fallback).
      if (!facts.engine || m[1] === 'V1') facts.engine = { value: m[1] === 'V1' ? 'V1' : 'V0', line };
      applyAll(state, parseKeyValueList(m[3]), line, 'engine-config');
    },
  ],
  [
    NON_DEFAULT_ARGS,
    (m, state, line) => {
      state.facts.vllmSeen = true;
      applyAll(state, parseDictRepr(m[1]), line, 'non-default-args');
    },
  ],
  [
    LM_EVAL_ARGS,
    (m, state, line) => {
      if (/^vllm/.test(m[1])) state.facts.lmEvalModelArgs ??= { value: m[2], line };
      applyAll(state, parseDictRepr(m[2]), line, 'lm-eval');
    },
  ],
  [
    ENGINE_CALL,
    (m, state, line) => {
      const kwargs = parseCallKwargs(m[1]);
      if (!kwargs.length || state.facts.engineCall) return;
      state.facts.engineCall = { value: kwargs, line };
      for (const { key, value } of kwargs) if (value !== undefined) setSetting(state, key, value, line, 'command');
    },
  ],
  [
    LM_EVAL_HEADER,
    (m, state, line) => {
      state.facts.lmEvalModelArgs ??= { value: m[2], line };
      state.facts.milestones.runFinished ??= line;
    },
  ],
  [
    NAMESPACE,
    (m, state, line) => {
      state.facts.vllmSeen = true;
      state.facts.server ??= { value: true, line };
      applyAll(state, parseKeyValueList(m[1]), line, 'non-default-args');
    },
  ],
  [
    SERVER_VERSION,
    (m, state, line) => {
      state.facts.vllmSeen = true;
      state.facts.version ??= { value: m[1], line };
      state.facts.server ??= { value: true, line };
    },
  ],
  [
    COLLECT_ENV_VERSION,
    (m, state, line) => {
      state.facts.version ??= { value: m[1], line };
    },
  ],
  [
    PIP_VERSION,
    (m, state, line) => {
      state.facts.version ??= { value: m[1], line };
    },
  ],
];

/** Lines that say what lm-eval ran, checked after the echoed command. */
const RUN_RULES: LineRule[] = [
  [
    RUNNING_REQUESTS,
    (m, state, line) => {
      const t = m[1] as OutputTypeSeen;
      if (!state.facts.outputTypes.includes(t)) state.facts.outputTypes.push(t);
      state.facts.milestones.requestsStarted ??= line;
    },
  ],
  [BUILDING_CONTEXTS, (m, state) => addTask(state.facts, m[1])],
  [
    SELECTED_TASKS,
    (m, state) => {
      for (const t of m[1].split(',')) addTask(state.facts, t);
    },
  ],
  [
    RESULTS_TABLE,
    (_m, state, line) => {
      state.facts.milestones.runFinished ??= line;
    },
  ],
];

function firstRule(rules: readonly LineRule[], state: ReaderState, text: string, line: number): boolean {
  for (const [re, apply] of rules) {
    const m = re.exec(text);
    if (m) {
      apply(m, state, line);
      return true;
    }
  }
  return false;
}

/** Read one cleaned line; returns true when it was a settings line (so other readers may skip it). */
export function scanSettingsLine(state: ReaderState, text: string, line: number): boolean {
  const facts = state.facts;
  if (firstRule(LINE_RULES, state, text, line)) return true;
  if (FALLBACK_V0.test(text)) facts.engine = { value: 'V0', line };
  if (facts.versionHint?.value.version !== '0.21.0')
    for (const [re, version, why] of VERSION_HINTS)
      if (re.test(text)) {
        if (!facts.versionHint || version > facts.versionHint.value.version)
          facts.versionHint = { value: { version, why }, line };
        break;
      }
  if (text.includes('=')) {
    ENV_ASSIGN.lastIndex = 0;
    for (let e = ENV_ASSIGN.exec(text); e; e = ENV_ASSIGN.exec(text)) facts.env[e[1]] ??= { value: e[2], line };
  }
  const run = facts.scriptRun ? null : SCRIPT_RUN.exec(text);
  if (run) {
    facts.scriptRun = { value: run[1], line };
    return true;
  }
  const launch = !facts.command && !text.startsWith('File "') ? ECHOED_LAUNCH.exec(text) : null;
  if (launch) {
    facts.command = { value: launch[1].trim(), line };
    if (/vllm\s+serve\s/.test(launch[1])) facts.server ??= { value: true, line };
    applyAll(state, commandSettings(launch[1]), line, 'command');
    return true;
  }
  if (firstRule(RUN_RULES, state, text, line)) return true;
  const gpu = facts.gpuName ? null : (GPU_NAME_LIST.exec(text) ?? GPU_NAME_SMI.exec(text));
  if (gpu) {
    facts.gpuName = { value: gpu[1].trim(), line };
    return true;
  }
  return false;
}

/** `vllm serve`'s short aliases. */
const SHORT_FLAGS: Record<string, string> = {
  tp: 'tensor_parallel_size',
  pp: 'pipeline_parallel_size',
  dp: 'data_parallel_size',
  q: 'quantization',
};

/** Words of an echoed command line (`set -x` output has the shell's quotes already removed). */
function words(cmd: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(cmd); m; m = re.exec(cmd)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The engine settings an echoed `lm_eval --model_args ...` or `vllm serve MODEL --flag v` states. */
export function commandSettings(cmd: string): Record<string, ConfigValue> {
  const w = words(cmd);
  const serve = w.findIndex((x, i) => x === 'serve' && /(^|\/)vllm$/.test(w[i - 1] ?? ''));
  const out: Record<string, ConfigValue> = {};
  if (serve >= 0) {
    if (w[serve + 1] && !w[serve + 1].startsWith('-')) out.model = w[serve + 1];
    for (let i = serve + 1; i < w.length; i++) {
      const flag = /^--?([a-z][\w-]*)(?:=(.*))?$/.exec(w[i]);
      if (!flag) continue;
      const key = SHORT_FLAGS[flag[1]] ?? flag[1].replace(/-/g, '_');
      if (flag[2] !== undefined) out[key] = parseKeyValueList(`v=${flag[2]}`).v ?? flag[2];
      else if (w[i + 1] !== undefined && !w[i + 1].startsWith('--'))
        out[key] = parseKeyValueList(`v=${w[++i]}`).v ?? w[i];
      else out[key] = true;
    }
    return out;
  }
  const at = w.findIndex((x) => x === '--model_args' || x.startsWith('--model_args=') || x === '--model-args');
  if (at < 0) return out;
  const value = w[at].includes('=') ? w[at].slice(w[at].indexOf('=') + 1) : (w[at + 1] ?? '');
  if (value.includes('$')) return out; // an unexpanded variable: nothing is known
  if (value.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as Record<string, unknown>;
      for (const [k, v] of Object.entries(parsed))
        if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as ConfigValue;
    } catch {
      // not JSON: lm-eval would reject it too; nothing is read
    }
    return out;
  }
  return parseKeyValueList(value);
}
