// What each model_args key means for lm-eval's vllm backend: the keys lm-eval consumes itself
// (lm_eval/models/vllm_causallms.py @4e7e0d47) and the vLLM engine arguments it passes through to
// vllm.LLM(**kwargs) (vllm/engine/arg_utils.py EngineArgs). Used by hover, completion and the
// unknown-model-arg rule.

export interface ModelArgDoc {
  doc: string;
  /** Default as text, when there is one worth showing. */
  default?: string;
  /** Who reads it: lm-eval itself, or vLLM's engine. */
  owner: 'lm-eval' | 'vllm';
}

export const LM_EVAL_VLLM_ARGS: Record<string, ModelArgDoc> = {
  pretrained: { owner: 'lm-eval', doc: 'Hugging Face model id or local path; passed to vLLM as `model`.' },
  dtype: {
    owner: 'lm-eval',
    default: 'auto',
    doc: "`auto` (the checkpoint's torch_dtype), `bfloat16`, `float16`, or `float32` (doubles weights and KV cache).",
  },
  revision: { owner: 'lm-eval', doc: 'Model revision (branch, tag or commit).' },
  trust_remote_code: { owner: 'lm-eval', default: 'False', doc: "Allow the model repository's custom code." },
  tokenizer: { owner: 'lm-eval', doc: 'Tokenizer id or path, if different from the model.' },
  tokenizer_mode: { owner: 'lm-eval', default: 'auto', doc: 'vLLM tokenizer mode (`auto`, `slow`, `mistral`).' },
  tokenizer_revision: { owner: 'lm-eval', doc: 'Tokenizer revision.' },
  add_bos_token: { owner: 'lm-eval', doc: 'Prepend the BOS token (passed to the tokenizer only when set).' },
  prefix_token_id: { owner: 'lm-eval', doc: 'Token used as the loglikelihood prefix; default BOS, else EOS.' },
  tensor_parallel_size: {
    owner: 'lm-eval',
    default: '1',
    doc: 'GPUs per model replica; the weights and KV heads are split across them.',
  },
  quantization: {
    owner: 'lm-eval',
    doc: 'Quantization method (`awq`, `gptq`, `fp8`, `bitsandbytes`, ...); usually read from the checkpoint.',
  },
  max_gen_toks: { owner: 'lm-eval', default: '256', doc: 'Default maximum new tokens when a task sets none.' },
  swap_space: {
    owner: 'lm-eval',
    doc: 'CPU swap space in GiB (V0 only). Ignored and removed with a warning from lm-eval 0.4.12.',
  },
  batch_size: {
    owner: 'lm-eval',
    default: 'auto',
    doc: 'Requests per `generate` call. Pass it as `--batch_size`, not in model_args: the CLI also sends it and Python raises a duplicate-keyword TypeError.',
  },
  max_batch_size: { owner: 'lm-eval', doc: 'Becomes vLLM `max_num_seqs` unless that is given.' },
  max_length: { owner: 'lm-eval', doc: 'Alias of `max_model_len`; giving both fails an assert.' },
  max_model_len: {
    owner: 'lm-eval',
    doc: 'Context length. Default: derived by vLLM from the config (max_position_embeddings, rope scaling); its KV cache must fit one full sequence.',
  },
  seed: { owner: 'lm-eval', default: '1234', doc: 'Sampling seed.' },
  gpu_memory_utilization: {
    owner: 'vllm',
    default: '0.9 (0.92 from vLLM 0.21)',
    doc: "Fraction of the GPU's total memory this engine may use for weights, activations and KV cache. CUDA graphs (before vLLM 0.21), the CUDA context and prompt-logprob spikes come on top.",
  },
  device: {
    owner: 'lm-eval',
    doc: 'Ignored for vllm from lm-eval 0.4.12 (use CUDA_VISIBLE_DEVICES); the CLI also sends `device`, so it collides.',
  },
  data_parallel_size: {
    owner: 'lm-eval',
    default: '1',
    doc: 'Independent replicas (each a full engine on tensor_parallel_size GPUs), run through Ray.',
  },
  lora_local_path: { owner: 'lm-eval', doc: 'Path to a LoRA adapter; enables LoRA in vLLM.' },
  max_lora_rank: { owner: 'lm-eval', default: '16', doc: 'Maximum LoRA rank.' },
  enable_thinking: {
    owner: 'lm-eval',
    doc: 'Passed to the chat template. Requires `think_end_token`; rejected on loglikelihood tasks.',
  },
  chat_template_args: {
    owner: 'lm-eval',
    doc: 'Extra chat-template kwargs; pass it with the JSON form of model_args.',
  },
  think_end_token: { owner: 'lm-eval', doc: 'Generation output is cut after this marker (e.g. `</think>`).' },
  truncation_side: {
    owner: 'lm-eval',
    default: 'left',
    doc: '`left`, `right` or `middle`, for prompts that are too long.',
  },
};

export const VLLM_ENGINE_ARGS: Record<string, ModelArgDoc> = {
  enforce_eager: {
    owner: 'vllm',
    default: 'False',
    doc: 'Run without CUDA graphs: no graph memory outside the budget, somewhat slower decoding.',
  },
  max_num_seqs: {
    owner: 'vllm',
    default: '256 (V1: 1024 on ≥70 GiB non-A100 GPUs)',
    doc: 'Maximum sequences per step; sizes CUDA graph capture and the sampler.',
  },
  max_num_batched_tokens: {
    owner: 'vllm',
    default: 'V1: 8192 (16384 on H100/H200); V0: max(max_model_len, 2048)',
    doc: 'Tokens per scheduler step; bounds the activation peak and the prompt-logprob spike.',
  },
  kv_cache_dtype: { owner: 'vllm', default: 'auto', doc: '`fp8` (`fp8_e4m3`, `fp8_e5m2`) halves the KV cache.' },
  block_size: { owner: 'vllm', default: '16', doc: 'Tokens per KV-cache block.' },
  enable_prefix_caching: {
    owner: 'vllm',
    doc: 'Reuse KV blocks across requests sharing a prefix (on by default in V1).',
  },
  enable_chunked_prefill: { owner: 'vllm', doc: 'Split long prompts across steps (always on in V1).' },
  cpu_offload_gb: { owner: 'vllm', default: '0', doc: 'GiB of weights kept in CPU memory per GPU.' },
  kv_cache_memory_bytes: {
    owner: 'vllm',
    doc: 'Fixed KV-cache size (vLLM ≥ 0.11); ignores gpu_memory_utilization for the KV cache.',
  },
  pipeline_parallel_size: { owner: 'vllm', default: '1', doc: 'Pipeline stages; each holds a slice of the layers.' },
  distributed_executor_backend: { owner: 'vllm', doc: '`mp` or `ray`.' },
  enable_expert_parallel: {
    owner: 'vllm',
    doc: 'Expert parallelism for MoE models; not with data_parallel_size > 1 in lm-eval.',
  },
  max_seq_len_to_capture: {
    owner: 'vllm',
    default: '8192',
    doc: 'Longest sequence covered by CUDA graphs (older vLLM).',
  },
  max_cudagraph_capture_size: { owner: 'vllm', doc: 'Largest batch captured as a CUDA graph (vLLM ≥ 0.11.1).' },
  cuda_graph_sizes: { owner: 'vllm', doc: 'Batch sizes captured as CUDA graphs.' },
  compilation_config: { owner: 'vllm', doc: 'torch.compile / CUDA graph settings (JSON form).' },
  limit_mm_per_prompt: { owner: 'vllm', doc: 'Maximum multimodal items per prompt, e.g. `image=4`.' },
  hf_overrides: { owner: 'vllm', doc: 'Overrides for the Hugging Face config (JSON form).' },
  rope_scaling: { owner: 'vllm', doc: 'RoPE scaling override (JSON form); allows a longer max_model_len.' },
  rope_theta: { owner: 'vllm', doc: 'RoPE theta override.' },
  load_format: {
    owner: 'vllm',
    default: 'auto',
    doc: 'Weight format (`safetensors`, `pt`, `gguf`, `bitsandbytes`, ...).',
  },
  download_dir: { owner: 'vllm', doc: 'Where weights are downloaded.' },
  num_gpu_blocks_override: { owner: 'vllm', doc: 'Force the number of KV blocks (testing).' },
  max_logprobs: { owner: 'vllm', default: '20', doc: 'Maximum logprobs per token a request may ask for.' },
  disable_custom_all_reduce: { owner: 'vllm', doc: 'Use NCCL all-reduce only.' },
  disable_sliding_window: {
    owner: 'vllm',
    doc: 'Treat sliding-window layers as full attention (caps max_model_len at the window).',
  },
  enable_lora: { owner: 'vllm', doc: 'Enable LoRA adapters.' },
  max_loras: { owner: 'vllm', doc: 'LoRA adapters resident at once.' },
  max_cpu_loras: { owner: 'vllm', doc: 'LoRA adapters cached in CPU memory.' },
  enable_sleep_mode: { owner: 'vllm', doc: 'Allow the engine to offload and sleep.' },
  served_model_name: { owner: 'vllm', doc: 'Name reported for the model.' },
  skip_tokenizer_init: { owner: 'vllm', doc: 'Do not initialise the tokenizer.' },
  speculative_config: { owner: 'vllm', doc: 'Speculative decoding settings (JSON form).' },
  generation_config: { owner: 'vllm', doc: 'Where default sampling parameters come from (`auto`, `vllm`, a path).' },
  override_generation_config: { owner: 'vllm', doc: 'Overrides for the generation config (JSON form).' },
  scheduling_policy: { owner: 'vllm', doc: '`fcfs` or `priority`.' },
  preemption_mode: { owner: 'vllm', doc: '`recompute` or `swap` (V0).' },
  num_scheduler_steps: { owner: 'vllm', doc: 'Multi-step scheduling (V0).' },
  use_v2_block_manager: { owner: 'vllm', doc: 'V0 block manager switch (removed later).' },
  guided_decoding_backend: { owner: 'vllm', doc: 'Structured-output backend.' },
  mm_processor_kwargs: { owner: 'vllm', doc: 'Multimodal processor kwargs (JSON form).' },
  model_loader_extra_config: { owner: 'vllm', doc: 'Extra loader config (JSON form).' },
  kv_transfer_config: {
    owner: 'vllm',
    doc: 'KV connector (LMCache, NIXL, disaggregated prefill), JSON form. Its buffers are not in the memory model: the estimate names the connector and widens its KV band to ±20 %.',
  },
  calculate_kv_scales: { owner: 'vllm', doc: 'Compute fp8 KV scales on the fly.' },
  disable_hybrid_kv_cache_manager: {
    owner: 'vllm',
    doc: 'Treat hybrid (sliding/mamba) models as full attention for the KV cache.',
  },
  async_scheduling: { owner: 'vllm', doc: 'Overlap scheduling with execution.' },
  worker_cls: { owner: 'vllm', doc: 'Custom worker class.' },
  tokenizer_pool_size: { owner: 'vllm', doc: 'Tokenizer pool size (older vLLM).' },
  max_parallel_loading_workers: { owner: 'vllm', doc: 'Load the model in batches of workers.' },
  code_revision: { owner: 'vllm', doc: "Revision of the model repository's code." },
  ignore_patterns: { owner: 'vllm', doc: 'Files to skip when loading.' },
  lora_dtype: { owner: 'vllm', doc: 'LoRA dtype.' },
  fully_sharded_loras: { owner: 'vllm', doc: 'Shard LoRA layers across TP ranks.' },
  qlora_adapter_name_or_path: { owner: 'vllm', doc: 'QLoRA adapter.' },
  config_format: { owner: 'vllm', doc: 'Config format (`auto`, `hf`, `mistral`).' },
  logprobs_mode: { owner: 'vllm', doc: 'Which logprobs are returned (raw or processed).' },
  performance_mode: {
    owner: 'vllm',
    doc: '`throughput` doubles the max_num_seqs / max_num_batched_tokens defaults (latest vLLM).',
  },
  mamba_cache_mode: { owner: 'vllm', doc: 'Mamba state caching mode for hybrid models.' },
  enable_eplb: { owner: 'vllm', doc: 'Expert-parallel load balancing.' },
  disable_log_stats: { owner: 'vllm', doc: 'Turn off periodic stats logging.' },
  otlp_traces_endpoint: { owner: 'vllm', doc: 'OpenTelemetry endpoint.' },
  override_pooler_config: { owner: 'vllm', doc: 'Pooling model settings.' },
  allowed_local_media_path: { owner: 'vllm', doc: 'Local media directory multimodal prompts may read.' },
  max_num_partial_prefills: { owner: 'vllm', doc: 'Concurrent partial prefills.' },
  max_long_partial_prefills: { owner: 'vllm', doc: 'Concurrent long partial prefills.' },
  long_prefill_token_threshold: { owner: 'vllm', doc: 'What counts as a long prefill.' },
  enable_prompt_embeds: { owner: 'vllm', doc: 'Accept prompt embeddings as input.' },
};

export function modelArgDoc(key: string): ModelArgDoc | undefined {
  return LM_EVAL_VLLM_ARGS[key] ?? VLLM_ENGINE_ARGS[key];
}

export const KNOWN_VLLM_MODEL_ARGS: readonly string[] = [
  ...Object.keys(LM_EVAL_VLLM_ARGS),
  ...Object.keys(VLLM_ENGINE_ARGS),
];
