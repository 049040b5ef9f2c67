// Bytes per parameter of quantized weights, for the quantized linear layers only; embeddings,
// lm_head and norms stay in the model dtype (reference/vllm-memory.md §4 "Quantized weights").
import type { QuantizationSpec, UnquantizedModules, VllmVersion } from './types';
import { atLeast } from './version';

/** What the weights of one linear layer cost, per parameter, under a quantization. */
export interface QuantizedWeightCost {
  bytesPerParam: number;
  /** Only the MoE expert weights are quantized (gpt-oss MXFP4 keeps attention in bf16). */
  expertsOnly: boolean;
  /** Plain-words description for the assumptions list. */
  label: string;
}

// GGUF block formats: bits per weight including block scales (format-level numbers).
const GGUF_BITS: Record<string, number> = {
  f32: 32,
  f16: 16,
  bf16: 16,
  q8_0: 8.5,
  q8_k: 9.125,
  q6_k: 6.5625,
  q5_k_m: 5.69,
  q5_k_s: 5.54,
  q5_0: 5.5,
  q5_1: 6,
  q4_k_m: 4.85,
  q4_k_s: 4.58,
  q4_0: 4.5,
  q4_1: 5,
  q3_k_l: 4.27,
  q3_k_m: 3.91,
  q3_k_s: 3.5,
  q2_k: 2.63,
  iq4_xs: 4.25,
  iq4_nl: 4.5,
  iq3_xxs: 3.06,
  iq2_xxs: 2.06,
};

/** The quantization a `quantization=` value names; undefined for none / unknown text. */
export function quantizationFromName(name: string | undefined): QuantizationSpec | undefined {
  if (typeof name !== 'string') return undefined;
  const q = name.trim().toLowerCase().replace(/-/g, '_');
  if (!q || q === 'none' || q === 'null') return undefined;
  if (q.startsWith('awq')) return { method: 'awq', bits: 4, groupSize: 128 };
  if (q.startsWith('gptq')) return { method: 'gptq', bits: 4, groupSize: 128 };
  if (q === 'marlin') return { method: 'gptq', bits: 4, groupSize: 128 };
  if (q === 'fp8' || q === 'fbgemm_fp8' || q === 'ptpc_fp8' || q === 'modelopt' || q === 'fp8_dynamic')
    return { method: 'fp8', bits: 8 };
  if (q === 'modelopt_fp4' || q === 'nvfp4') return { method: 'nvfp4', bits: 4 };
  if (q === 'mxfp4') return { method: 'mxfp4', bits: 4 };
  if (q === 'bitsandbytes' || q === 'bnb' || q === 'bnb_4bit') return { method: 'bitsandbytes', bits: 4 };
  if (q === 'bnb_8bit') return { method: 'bitsandbytes', bits: 8 };
  if (q === 'compressed_tensors') return { method: 'compressed-tensors' };
  if (q === 'experts_int8' || q === 'int8' || q === 'w8a8') return { method: 'int8', bits: 8 };
  if (q === 'gguf') return { method: 'gguf' };
  if (q in GGUF_BITS) return { method: 'gguf', bits: GGUF_BITS[q] };
  return { method: q };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const MAX_UNQUANTIZED_PATTERNS = 4096;
const MAX_PATTERN_LENGTH = 300;

/** The first of `keys` that holds a list of module names, kept with its matching rule. */
function unquantizedList(
  qc: Record<string, unknown>,
  keys: string[],
  match: UnquantizedModules['match'],
): UnquantizedModules | undefined {
  for (const key of keys) {
    const v = qc[key];
    if (!Array.isArray(v)) continue;
    const patterns = v
      .filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= MAX_PATTERN_LENGTH)
      .slice(0, MAX_UNQUANTIZED_PATTERNS);
    return patterns.length ? { key, patterns, match } : undefined;
  }
  return undefined;
}

function withUnquantized(spec: QuantizationSpec, list: UnquantizedModules | undefined): QuantizationSpec {
  if (list) spec.unquantizedModules = list;
  return spec;
}

/** A checkpoint's `quantization_config` (config.json) as a spec; undefined when absent or unreadable. */
export function quantizationFromConfig(config: unknown): QuantizationSpec | undefined {
  const qc = obj(config);
  if (!qc) return undefined;
  const method = typeof qc.quant_method === 'string' ? qc.quant_method.toLowerCase() : undefined;
  if (method === 'bitsandbytes' || qc.load_in_4bit === true || qc.load_in_8bit === true) {
    const bits = qc.load_in_8bit === true ? 8 : 4;
    const spec: QuantizationSpec = { method: 'bitsandbytes', bits };
    // Double quantization stores the absmax in 8 bits: ≈0.016 B/param instead of 0.0625.
    if (bits === 4 && qc.bnb_4bit_use_double_quant === false) spec.groupSize = 0;
    // Unsloth's dynamic 4-bit checkpoints list whole layers' MLPs or attention here.
    return withUnquantized(spec, unquantizedList(qc, ['llm_int8_skip_modules'], 'bnb'));
  }
  if (method === 'awq' || method === 'gptq') {
    const bits = num(qc.bits) ?? num(qc.w_bit) ?? 4;
    const group = num(qc.group_size) ?? num(qc.q_group_size) ?? 128;
    return withUnquantized(
      { method, bits, groupSize: group },
      unquantizedList(qc, ['modules_to_not_convert'], 'substring'),
    );
  }
  if (method === 'compressed-tensors') {
    const ignore = unquantizedList(qc, ['ignore'], 'exact-or-regex');
    // config_groups.<g>.weights.num_bits / group_size; fp8 "float" weights are 8 bits.
    const groups = obj(qc.config_groups);
    for (const g of groups ? Object.values(groups) : []) {
      const w = obj(obj(g)?.weights);
      if (!w) continue;
      const spec: QuantizationSpec = { method: 'compressed-tensors', bits: num(w.num_bits) ?? 8 };
      const gs = num(w.group_size);
      if (gs !== undefined) spec.groupSize = gs;
      return withUnquantized(spec, ignore);
    }
    return withUnquantized({ method: 'compressed-tensors', bits: 8 }, ignore);
  }
  if (method === 'fp8' || method === 'fbgemm_fp8') {
    return withUnquantized(
      { method: 'fp8', bits: 8 },
      unquantizedList(qc, ['ignored_layers', 'modules_to_not_convert'], 'substring'),
    );
  }
  // gpt-oss lists its attention and router here too; MXFP4 is modelled as experts-only anyway.
  if (method === 'mxfp4') return { method: 'mxfp4', bits: 4 };
  if (method === 'modelopt' || method === 'modelopt_fp4') {
    const algo = typeof qc.quant_algo === 'string' ? qc.quant_algo.toLowerCase() : '';
    const spec: QuantizationSpec =
      algo.includes('fp4') || method === 'modelopt_fp4' ? { method: 'nvfp4', bits: 4 } : { method: 'fp8', bits: 8 };
    return withUnquantized(spec, unquantizedList(qc, ['exclude_modules'], 'substring'));
  }
  return method ? { method } : undefined;
}

/**
 * Bytes per parameter of the quantized linear weights (undefined: not a weight-size-changing method
 * we know). Shapes follow vLLM's quantized linear layers: GPTQ/AWQ int-b with group g stores
 * b/8 B of packed weights + a 16-bit scale and a b-bit zero per group (+ GPTQ's int32 g_idx per
 * input row, ≈0.001 B/param): int4 g128 ≈ 0.52 B.
 */
export function quantizedWeightCost(spec: QuantizationSpec): QuantizedWeightCost | undefined {
  const bits = spec.bits;
  switch (spec.method) {
    case 'awq':
    case 'gptq': {
      const b = bits ?? 4;
      const g = spec.groupSize !== undefined && spec.groupSize > 0 ? spec.groupSize : 4096;
      const bytes = b / 8 + 2 / g + b / 8 / g + (spec.method === 'gptq' ? 0.001 : 0);
      return {
        bytesPerParam: bytes,
        expertsOnly: false,
        label: `${spec.method.toUpperCase()} ${b}-bit, group ${spec.groupSize ?? 128}: ${bytes.toFixed(3)} B/param`,
      };
    }
    case 'fp8':
    case 'int8':
      // One byte plus per-channel / per-block scales (≈0.1 %).
      return { bytesPerParam: 1.001, expertsOnly: false, label: `${spec.method.toUpperCase()} weights: 1 B/param` };
    case 'compressed-tensors': {
      const b = bits ?? 8;
      const g = spec.groupSize && spec.groupSize > 0 ? spec.groupSize : 0;
      const bytes = b / 8 + (g ? 2 / g : 0.001);
      return {
        bytesPerParam: bytes,
        expertsOnly: false,
        label: `compressed-tensors ${b}-bit weights${bits === undefined ? ' (bit width not known: 8 assumed)' : ''}: ${bytes.toFixed(3)} B/param`,
      };
    }
    case 'bitsandbytes': {
      if ((bits ?? 4) >= 8)
        return { bytesPerParam: 1.004, expertsOnly: false, label: 'bitsandbytes 8-bit: ≈1 B/param' };
      const absmax = spec.groupSize === 0 ? 0.0625 : 0.016;
      return {
        bytesPerParam: 0.5 + absmax,
        expertsOnly: false,
        label: `bitsandbytes NF4: ${(0.5 + absmax).toFixed(3)} B/param`,
      };
    }
    case 'mxfp4':
      // 4-bit e2m1 values + one 8-bit scale per 32: 4.25 bits. gpt-oss quantizes only the experts.
      return {
        bytesPerParam: 0.53125,
        expertsOnly: true,
        label: 'MXFP4 experts: 0.531 B/param (attention and embeddings bf16)',
      };
    case 'nvfp4':
      // 4-bit values + one fp8 scale per 16: 4.5 bits.
      return { bytesPerParam: 0.5625, expertsOnly: false, label: 'NVFP4: 0.5625 B/param' };
    case 'gguf': {
      const b = bits ?? 4.85;
      return {
        bytesPerParam: b / 8,
        expertsOnly: false,
        label: `GGUF ${b} bits/weight${bits === undefined ? ' (type unknown: Q4_K_M assumed)' : ''}`,
      };
    }
    default:
      return undefined;
  }
}

/** How an MXFP4 MoE backend pads each expert's weights: dimensions rounded up to these multiples. */
export interface ExpertLayout {
  intermediateMultiple: number;
  hiddenMultiple: number;
  label: string;
}

/**
 * The MXFP4 MoE backend vLLM picks, as its expert layout (Mxfp4MoEMethod.create_weights and
 * get_mxfp4_backend, vllm/model_executor/layers/quantization/mxfp4.py @007d5005):
 * - Blackwell (SM10x), FlashInfer: intermediate and hidden sizes padded to 256.
 * - Hopper (SM90) from 0.11.1, when vLLM started to ship triton_kernels (#27370), and before
 *   that in the Docker image: the Triton backend. Its swizzled layout is taken as the per-rank
 *   intermediate size padded to 256 (empirical: llm-d's H100 table logs 13.47 GiB for gpt-oss-20b
 *   and 64.38 for gpt-oss-120b; this gives 13.44 and 64.53).
 * - Otherwise (Ampere, Ada, SM12x, Hopper before 0.11.1): Marlin, which needs n % 256 and
 *   k % 128: the per-rank intermediate size padded to 128 and the hidden size to 256. That gives
 *   65.88 GiB for gpt-oss-120b (vllm#23278 and another public log: 65.9651) and 13.67 for
 *   gpt-oss-20b (public logs: 13.7153 with Marlin's shapes printed, w13 (32, 5888, 1536) and
 *   w2 (32, 3072, 1472) uint8; 13.7164, 13.7194, 13.72).
 */
export function mxfp4ExpertLayout(computeCapability: number | undefined, version: VllmVersion): ExpertLayout {
  if (computeCapability !== undefined && computeCapability >= 10 && computeCapability < 11) {
    return {
      intermediateMultiple: 256,
      hiddenMultiple: 256,
      label: 'FlashInfer MXFP4 MoE (SM100): intermediate and hidden padded to 256',
    };
  }
  if (
    computeCapability !== undefined &&
    computeCapability >= 9 &&
    computeCapability < 10 &&
    atLeast(version, 0, 11, 1)
  ) {
    return {
      intermediateMultiple: 256,
      hiddenMultiple: 1,
      label:
        'Triton MXFP4 MoE (Hopper, triton_kernels ships with vLLM from 0.11.1): intermediate padded to 256 per rank',
    };
  }
  const hopper = computeCapability !== undefined && computeCapability >= 9 && computeCapability < 10;
  return {
    intermediateMultiple: 128,
    hiddenMultiple: 256,
    label: `Marlin MXFP4 MoE: intermediate padded to 128 and hidden to 256 per expert${hopper ? ' (with triton_kernels installed, as in the Docker image, Hopper runs Triton, ≈2 % smaller)' : ''}`,
  };
}
