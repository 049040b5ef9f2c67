// The flags of `vllm serve` / `python -m vllm.entrypoints.openai.api_server` that are not engine
// arguments (vllm/entrypoints/openai/cli_args.py make_arg_parser), the engine flags argparse reads
// without a value (store_true / BooleanOptionalAction in vllm/engine/arg_utils.py), and the short
// aliases. Engine arguments themselves are knowledge/modelArgKeys.ts's.
import { KNOWN_VLLM_MODEL_ARGS } from './modelArgKeys';

/** Flags of the OpenAI-compatible frontend (underscored), with whether they take no value. */
export const SERVER_FLAGS: Record<string, { boolean?: boolean }> = {
  host: {},
  port: {},
  uds: {},
  uvicorn_log_level: {},
  disable_uvicorn_access_log: { boolean: true },
  allow_credentials: { boolean: true },
  allowed_origins: {},
  allowed_methods: {},
  allowed_headers: {},
  api_key: {},
  lora_modules: {},
  prompt_adapters: {},
  chat_template: {},
  chat_template_content_format: {},
  response_role: {},
  ssl_keyfile: {},
  ssl_certfile: {},
  ssl_ca_certs: {},
  enable_ssl_refresh: { boolean: true },
  ssl_cert_reqs: {},
  root_path: {},
  middleware: {},
  return_tokens_as_token_ids: { boolean: true },
  disable_frontend_multiprocessing: { boolean: true },
  enable_request_id_headers: { boolean: true },
  enable_auto_tool_choice: { boolean: true },
  exclude_tools_when_tool_choice_none: { boolean: true },
  tool_call_parser: {},
  tool_parser_plugin: {},
  tool_server: {},
  log_config_file: {},
  max_log_len: {},
  disable_fastapi_docs: { boolean: true },
  enable_prompt_tokens_details: { boolean: true },
  enable_server_load_tracking: { boolean: true },
  enable_force_include_usage: { boolean: true },
  enable_tokenizer_info_endpoint: { boolean: true },
  enable_log_outputs: { boolean: true },
  enable_log_requests: { boolean: true },
  disable_log_requests: { boolean: true },
  h11_max_incomplete_event_size: {},
  h11_max_header_count: {},
  log_error_stack: { boolean: true },
  config: {},
  headless: { boolean: true },
  api_server_count: {},
  data_parallel_start_rank: {},
  reasoning_parser: {},
  enable_reasoning: { boolean: true },
  // Accepted by the server for the engine; listed so a serve command is never told they are unknown.
  model: {},
  model_tag: {},
};

/** Engine flags argparse reads without a value (`--enforce-eager`, `--no-enable-prefix-caching`). */
export const BOOLEAN_ENGINE_FLAGS: ReadonlySet<string> = new Set([
  'enforce_eager',
  'trust_remote_code',
  'enable_prefix_caching',
  'enable_chunked_prefill',
  'disable_log_stats',
  'enable_lora',
  'enable_lora_bias',
  'fully_sharded_loras',
  'disable_custom_all_reduce',
  'disable_sliding_window',
  'disable_cascade_attn',
  'skip_tokenizer_init',
  'enable_expert_parallel',
  'enable_eplb',
  'enable_dbo',
  'enable_sleep_mode',
  'enable_prompt_embeds',
  'async_scheduling',
  'calculate_kv_scales',
  'disable_hybrid_kv_cache_manager',
  'kv_sharing_fast_prefill',
  'use_tqdm_on_load',
  'disable_async_output_proc',
  'use_v2_block_manager',
  'multi_step_stream_outputs',
  'ray_workers_use_nsight',
  'enable_multimodal_encoder_data_parallel',
  'disable_mm_preprocessor_cache',
  'disable_chunked_mm_input',
  'enable_return_routed_experts',
]);

/** Short aliases vLLM's parser accepts. */
export const SHORT_FLAGS: Record<string, string> = {
  '-tp': 'tensor_parallel_size',
  '-pp': 'pipeline_parallel_size',
  '-dp': 'data_parallel_size',
  '-q': 'quantization',
  '-O': 'compilation_config',
  '-dpl': 'data_parallel_size_local',
  '-dpa': 'data_parallel_address',
  '-dpp': 'data_parallel_rpc_port',
  '-dpr': 'data_parallel_rank',
  '-dcp': 'decode_context_parallel_size',
  '-ep': 'enable_expert_parallel',
  '-sc': 'speculative_config',
  '-cc': 'compilation_config',
};

export function isBooleanServeFlag(key: string): boolean {
  return BOOLEAN_ENGINE_FLAGS.has(key) || SERVER_FLAGS[key]?.boolean === true;
}

/** Keys lm-eval's vllm backend reads itself and vLLM's server does not have. */
const LM_EVAL_ONLY = new Set([
  'pretrained',
  'batch_size',
  'max_batch_size',
  'max_length',
  'add_bos_token',
  'prefix_token_id',
  'max_gen_toks',
  'lora_local_path',
  'enable_thinking',
  'chat_template_args',
  'think_end_token',
  'truncation_side',
]);

/** Every flag of `vllm serve` we know, as underscored keys: engine arguments and the server's own. */
export const SERVE_FLAG_KEYS: ReadonlySet<string> = new Set([
  ...KNOWN_VLLM_MODEL_ARGS.filter((k) => !LM_EVAL_ONLY.has(k)),
  ...BOOLEAN_ENGINE_FLAGS,
  ...Object.keys(SERVER_FLAGS),
]);

/** `gpu_memory_utilization` → `--gpu-memory-utilization`. */
export function serveFlag(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}
