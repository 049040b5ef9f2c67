// The engine vLLM really runs. V1 is the default from 0.8.0 and V0 was deleted in 0.11.0 (#25321);
// in between, `EngineArgs._is_v1_supported_oracle` (vllm/engine/arg_utils.py) silently falls back
// to V0 for what V1 could not yet do, logging "<feature> is not supported by the V1 Engine.
// Falling back to V0." The table follows reference/vllm-memory-2026.md §1.1 (arg_utils.py read at
// ≈0.8.3/0.8.4, ≈0.9.0, ≈0.10.0/0.10.1 and 0.10.2 @99d7eb5d6a51, where every check is gone;
// `CudaPlatform.is_kv_cache_dtype_supported` for fp8).
import type { GpuSpec, ModelArchitecture, VllmVersion } from './types';
import { atLeast, type Engine, engineFor } from './version';

export interface EngineChoice {
  engine: Engine;
  /** Why vLLM falls back to V0 (empty when it runs its default engine). */
  fallbacks: string[];
  /** What vLLM does with this configuration on the engine it picks, when that is not a plain start. */
  notes: string[];
}

export interface EngineFacts {
  version: VllmVersion;
  /** VLLM_USE_V1 as set (environment or setting); undefined = unset, so the oracle decides. */
  useV1?: boolean;
  gpu: GpuSpec;
  arch: ModelArchitecture;
  /** The dtype vLLM resolved (`float32` falls back in 0.8–0.9). */
  dtype: string;
  kvCacheDtype: string;
  /** The weight quantization method in effect (`gguf` falls back). */
  quantization?: string;
  pipelineParallelSize: number;
  distributedExecutorBackend?: string;
}

/** Model types vLLM runs as encoder-decoder (`is_encoder_decoder`), which V1 could not run before 0.10.2. */
const ENCODER_DECODER = new Set(['mllama', 'whisper', 'bart', 'mbart', 't5', 'florence2', 'donut']);

/** A model with per-request recurrent state (Mamba, linear attention: `has_inner_state`). */
export function hasInnerState(arch: ModelArchitecture): boolean {
  return arch.kvCacheLayers !== undefined && arch.kvCacheLayers < arch.numLayers;
}

/**
 * The V1-support oracle of 0.8.0–0.10.1, feature by feature. Each entry is the first version the
 * feature runs on V1 (before it, vLLM falls back to V0 unless VLLM_USE_V1=1 forces V1).
 */
function v0Fallbacks(f: EngineFacts): string[] {
  const v = f.version;
  const out: string[] = [];
  const cc = f.gpu.computeCapability;
  // Pipeline parallelism needs an executor that can run it: the default `mp` executor could not
  // before #18915 (≈0.9.1); 0.8.3–0.8.5 keep V1 only with ray, 0.9.0 also with mp/external_launcher.
  if (f.pipelineParallelSize > 1 && atLeast(v, 0, 8, 3) && !atLeast(v, 0, 9, 1)) {
    const backend = f.distributedExecutorBackend?.trim().toLowerCase();
    const keeps = atLeast(v, 0, 9) ? ['ray', 'mp', 'external_launcher'] : ['ray'];
    if (!backend || !keeps.includes(backend))
      out.push('pipeline parallelism without distributed_executor_backend="ray"');
  }
  // Compute capability below 8.0 (V100, T4, RTX 20xx): V1 from 0.10.2 (#23614, #24022).
  if (cc !== undefined && cc < 8 && !atLeast(v, 0, 10, 2)) out.push(`compute capability ${cc.toFixed(1)} < 8.0`);
  // float32: V1 from 0.10.0 (the check is gone there).
  if (f.dtype === 'float32' && !atLeast(v, 0, 10)) out.push('dtype=float32');
  // fp8 KV cache: V1 only where the default attention backend can store it (FlashAttention 3 on
  // Hopper; from 0.10.0 also Blackwell); no check from 0.10.2.
  if (/^fp8/i.test(f.kvCacheDtype) && !atLeast(v, 0, 10, 2)) {
    const supported = cc !== undefined && (cc === 9 || (atLeast(v, 0, 10) && cc >= 10));
    if (!supported) out.push(`kv_cache_dtype=${f.kvCacheDtype} on ${f.gpu.name}`);
  }
  // GGUF weights: V1 from 0.10.0 (0.9.1–0.9.2 unverified: taken as V0 still).
  if (f.quantization === 'gguf' && !atLeast(v, 0, 10)) out.push('GGUF weights');
  // Mamba / hybrid and encoder-decoder models (`is_v1_compatible`, `has_inner_state`): V1 from 0.10.2.
  if (hasInnerState(f.arch) && !atLeast(v, 0, 10, 2)) out.push('a hybrid (Mamba / linear-attention) model');
  if (ENCODER_DECODER.has(f.arch.modelType) && !atLeast(v, 0, 10, 2)) out.push('an encoder-decoder model');
  return out;
}

/** The engine vLLM runs for this configuration, and why when it is not the release's default. */
export function chooseEngine(f: EngineFacts): EngineChoice {
  const env = f.useV1 === undefined ? {} : { VLLM_USE_V1: f.useV1 ? '1' : '0' };
  const engine = engineFor(f.version, env);
  if (engine === 'V0' || atLeast(f.version, 0, 11) || !atLeast(f.version, 0, 8))
    return { engine, fallbacks: [], notes: [] };
  const fallbacks = v0Fallbacks(f);
  if (fallbacks.length === 0) {
    const notes =
      f.pipelineParallelSize > 1 && !atLeast(f.version, 0, 8, 3) && !f.distributedExecutorBackend
        ? [
            'vLLM 0.8.0–0.8.2 run pipeline parallelism on V1 only with distributed_executor_backend="ray": the default executor fails at start-up',
          ]
        : [];
    return { engine, fallbacks, notes };
  }
  // VLLM_USE_V1=1 forbids the fallback: vLLM raises NotImplementedError for these features.
  if (f.useV1 === true)
    return {
      engine: 'V1',
      fallbacks: [],
      notes: [`VLLM_USE_V1=1 with ${fallbacks.join(', ')}: vLLM refuses ("VLLM_USE_V1=1 is not supported with …")`],
    };
  return { engine: 'V0', fallbacks, notes: [] };
}

/**
 * Whether the V1 engine runs Model Runner V2 (`vllm/config/vllm.py` `_is_default_v2_model_runner_model`,
 * reference/vllm-memory-2026.md §2.8): dense, unquantized Qwen3 from ≈0.22 (#39337); every dense
 * model from 0.25.0 (#44443), quantized dense ones included from 0.25.1 (`or not is_moe`). The
 * later extension to all non-pooling models (#53183) has no release we can place, so MoE models
 * stay on Model Runner V1 here.
 */
export function modelRunnerV2(
  engine: Engine,
  version: VllmVersion,
  arch: ModelArchitecture,
  quantized: boolean,
): boolean {
  if (engine !== 'V1' || arch.moe || hasInnerState(arch)) return false;
  if (atLeast(version, 0, 25, 1)) return true;
  if (atLeast(version, 0, 25)) return !quantized;
  return atLeast(version, 0, 22) && arch.modelType === 'qwen3' && !quantized;
}
