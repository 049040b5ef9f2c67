// Looking models up in the built-in catalog: exact ids, the -Instruct / -it / -chat variants that
// share an architecture, quantized repacks (`-AWQ`, `-FP8-dynamic`, `-bnb-4bit`), other orgs'
// copies, and parameter counts from the shapes when the catalog has no exact count.
import { CATALOG_MODELS } from './architectureData';
import { quantizationFromName } from './quantization';
import type { ModelArchitecture, QuantizationSpec } from './types';

export { CATALOG_MODELS };

interface Variant {
  base: string;
  overrides?: Partial<ModelArchitecture>;
  /** Set when the variant's config was not checked field by field: shown to the user. */
  assumption?: string;
}

/** Phi-3's 128k variants: the 4k model with 131072 positions by longrope and no sliding window. */
function phi3LongRope128k(base: string): Variant {
  return {
    base,
    overrides: {
      maxPositionEmbeddings: 131072,
      slidingWindow: undefined,
      ropeScaling: { type: 'longrope', originalMaxPositionEmbeddings: 4096 },
    },
    assumption: 'assumption: the 128k variant differs only in positions (longrope)',
  };
}

/** A release whose config was not read field by field: the shapes of `base`, with the reason given. */
function sameShapesAs(base: string, assumption: string, overrides?: Partial<ModelArchitecture>): Variant {
  return overrides
    ? { base, overrides, assumption: `assumption: ${assumption}` }
    : { base, assumption: `assumption: ${assumption}` };
}

const qwen25Coder = (base: string) =>
  sameShapesAs(base, `Qwen2.5-Coder keeps the shapes of ${base} with 32768 positions`, {
    maxPositionEmbeddings: 32768,
  });
const qwen25Math = (base: string) =>
  sameShapesAs(base, `Qwen2.5-Math keeps the shapes of ${base} with 4096 positions`, { maxPositionEmbeddings: 4096 });
const qwen3Base = (base: string) =>
  sameShapesAs(base, `the Base release keeps the shapes of ${base} with 32768 positions (as Qwen3-30B-A3B-Base)`, {
    maxPositionEmbeddings: 32768,
  });

const Q25_INSTRUCT = 'assumption: the Instruct config equals the base apart from max_position_embeddings 32768';

/** Variants that share a catalog architecture; `assumption` says where that is not verified. */
const VARIANTS: Record<string, Variant> = {
  'meta-llama/Meta-Llama-3-8B-Instruct': { base: 'meta-llama/Meta-Llama-3-8B' },
  'meta-llama/Meta-Llama-3-70B-Instruct': { base: 'meta-llama/Meta-Llama-3-70B' },
  'meta-llama/Meta-Llama-3.1-8B': { base: 'meta-llama/Llama-3.1-8B' },
  'meta-llama/Llama-3.1-8B-Instruct': { base: 'meta-llama/Llama-3.1-8B' },
  'meta-llama/Meta-Llama-3.1-8B-Instruct': { base: 'meta-llama/Llama-3.1-8B' },
  'meta-llama/Meta-Llama-3.1-70B': { base: 'meta-llama/Llama-3.1-70B' },
  'meta-llama/Llama-3.1-70B-Instruct': { base: 'meta-llama/Llama-3.1-70B' },
  'meta-llama/Meta-Llama-3.1-70B-Instruct': { base: 'meta-llama/Llama-3.1-70B' },
  'meta-llama/Llama-3.1-405B-Instruct': { base: 'meta-llama/Llama-3.1-405B' },
  'meta-llama/Llama-3.2-1B-Instruct': { base: 'meta-llama/Llama-3.2-1B' },
  'meta-llama/Llama-3.2-3B-Instruct': { base: 'meta-llama/Llama-3.2-3B' },
  'meta-llama/Llama-2-7b-chat-hf': { base: 'meta-llama/Llama-2-7b-hf' },
  'meta-llama/Llama-2-13b-chat-hf': { base: 'meta-llama/Llama-2-13b-hf' },
  'meta-llama/Llama-2-70b-chat-hf': { base: 'meta-llama/Llama-2-70b-hf' },
  'meta-llama/Llama-2-70b': { base: 'meta-llama/Llama-2-70b-hf' },
  'Qwen/Qwen1.5-1.8B-Chat': { base: 'Qwen/Qwen1.5-1.8B' },
  'Qwen/Qwen1.5-4B-Chat': { base: 'Qwen/Qwen1.5-4B' },
  'Qwen/Qwen1.5-7B-Chat': { base: 'Qwen/Qwen1.5-7B' },
  'Qwen/Qwen1.5-14B-Chat': { base: 'Qwen/Qwen1.5-14B' },
  'Qwen/Qwen1.5-32B-Chat': { base: 'Qwen/Qwen1.5-32B' },
  'Qwen/Qwen1.5-72B-Chat': { base: 'Qwen/Qwen1.5-72B' },
  'Qwen/Qwen2-7B-Instruct': { base: 'Qwen/Qwen2-7B', overrides: { maxPositionEmbeddings: 32768 } },
  'Qwen/Qwen2.5-0.5B-Instruct': { base: 'Qwen/Qwen2.5-0.5B' },
  'Qwen/Qwen2.5-3B-Instruct': { base: 'Qwen/Qwen2.5-3B' },
  'Qwen/Qwen2.5-7B-Instruct': {
    base: 'Qwen/Qwen2.5-7B',
    overrides: { maxPositionEmbeddings: 32768 },
    assumption: Q25_INSTRUCT,
  },
  'Qwen/Qwen2.5-14B-Instruct': {
    base: 'Qwen/Qwen2.5-14B',
    overrides: { maxPositionEmbeddings: 32768 },
    assumption: Q25_INSTRUCT,
  },
  'Qwen/Qwen2.5-32B-Instruct': {
    base: 'Qwen/Qwen2.5-32B',
    overrides: { maxPositionEmbeddings: 32768 },
    assumption: Q25_INSTRUCT,
  },
  'Qwen/Qwen2.5-72B-Instruct': {
    base: 'Qwen/Qwen2.5-72B',
    overrides: { maxPositionEmbeddings: 32768 },
    assumption: Q25_INSTRUCT,
  },
  'Qwen/QwQ-32B': { base: 'Qwen/Qwen2.5-32B', assumption: 'assumption: QwQ-32B has the Qwen2.5-32B architecture' },
  'mistralai/Mistral-7B-Instruct-v0.1': { base: 'mistralai/Mistral-7B-v0.1' },
  'mistralai/Mistral-7B-Instruct-v0.2': {
    base: 'mistralai/Mistral-7B-v0.1',
    overrides: { slidingWindow: undefined },
    assumption: 'assumption: v0.2 is v0.1 without the sliding window',
  },
  'mistralai/Mistral-7B-Instruct-v0.3': { base: 'mistralai/Mistral-7B-v0.3' },
  'mistralai/Mixtral-8x7B-Instruct-v0.1': { base: 'mistralai/Mixtral-8x7B-v0.1' },
  'mistralai/Mixtral-8x22B-Instruct-v0.1': {
    base: 'mistralai/Mixtral-8x22B-v0.1',
    overrides: { vocabSize: 32768 },
    assumption: 'assumption: the Instruct model is the base with a 32768-token vocabulary',
  },
  '01-ai/Yi-1.5-34B-Chat': { base: '01-ai/Yi-1.5-34B', assumption: 'assumption: the Chat config equals the base' },
  '01-ai/Yi-1.5-6B-Chat': { base: '01-ai/Yi-1.5-6B', assumption: 'assumption: the Chat config equals the base' },
  'microsoft/Phi-3-medium-128k-instruct': phi3LongRope128k('microsoft/Phi-3-medium-4k-instruct'),
  'deepseek-ai/DeepSeek-V2-Chat': { base: 'deepseek-ai/DeepSeek-V2' },
  'deepseek-ai/DeepSeek-V2.5': {
    base: 'deepseek-ai/DeepSeek-V2',
    assumption: 'assumption: DeepSeek-V2.5 shares the DeepSeek-V2 architecture',
  },
  'google/gemma-2-2b-it': { base: 'google/gemma-2-2b' },
  'google/gemma-2-9b-it': { base: 'google/gemma-2-9b' },
  'google/gemma-2-27b-it': { base: 'google/gemma-2-27b' },
  'google/gemma-3-1b-it': { base: 'google/gemma-3-1b-pt' },
  'google/gemma-3-4b-it': { base: 'google/gemma-3-4b-pt' },
  'google/gemma-3-12b-it': { base: 'google/gemma-3-12b-pt' },
  'google/gemma-3-27b-it': { base: 'google/gemma-3-27b-pt' },
  'google/gemma-7b-it': { base: 'google/gemma-7b' },
  'deepseek-ai/DeepSeek-V3-0324': { base: 'deepseek-ai/DeepSeek-V3' },
  'deepseek-ai/DeepSeek-V2-Lite-Chat': { base: 'deepseek-ai/DeepSeek-V2-Lite' },
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B': {
    base: 'Qwen/Qwen2.5-7B',
    assumption: 'assumption: the distill keeps the Qwen2.5(-Math)-7B shapes and 131072 positions',
  },
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B': {
    base: 'Qwen/Qwen2.5-14B',
    assumption: 'assumption: the distill keeps the Qwen2.5-14B config',
  },
  'deepseek-ai/DeepSeek-R1-Distill-Llama-70B': {
    base: 'meta-llama/Llama-3.3-70B-Instruct',
    assumption: 'assumption: the distill keeps the Llama-3.3-70B-Instruct config',
  },
  'microsoft/Phi-3-mini-128k-instruct': phi3LongRope128k('microsoft/Phi-3-mini-4k-instruct'),
  'HuggingFaceTB/SmolLM2-135M-Instruct': { base: 'HuggingFaceTB/SmolLM2-135M' },
  'HuggingFaceTB/SmolLM2-360M-Instruct': { base: 'HuggingFaceTB/SmolLM2-360M' },
  'HuggingFaceTB/SmolLM2-1.7B-Instruct': { base: 'HuggingFaceTB/SmolLM2-1.7B' },
  'allenai/OLMo-2-1124-7B-Instruct': { base: 'allenai/OLMo-2-1124-7B' },
  'tiiuae/falcon-7b-instruct': { base: 'tiiuae/falcon-7b' },
  'openai-community/gpt2': { base: 'gpt2' },
  'openai-community/gpt2-medium': { base: 'gpt2-medium' },
  'openai-community/gpt2-large': { base: 'gpt2-large' },
  'openai-community/gpt2-xl': { base: 'gpt2-xl' },
  // Late-2026 releases that share a catalog row (issue #16).
  'meta-llama/Meta-Llama-3.1-405B': { base: 'meta-llama/Llama-3.1-405B' },
  'meta-llama/Meta-Llama-3.1-405B-Instruct': { base: 'meta-llama/Llama-3.1-405B' },
  'meta-llama/Llama-4-Scout-17B-16E': sameShapesAs(
    'meta-llama/Llama-4-Scout-17B-16E-Instruct',
    'the base release has the Instruct config',
  ),
  'meta-llama/Llama-4-Maverick-17B-128E': sameShapesAs(
    'meta-llama/Llama-4-Maverick-17B-128E-Instruct',
    'the base release has the Instruct config',
  ),
  'Qwen/Qwen2.5-1.5B-Instruct': {
    base: 'Qwen/Qwen2.5-1.5B',
    overrides: { maxPositionEmbeddings: 32768 },
    assumption: Q25_INSTRUCT,
  },
  'Qwen/Qwen2.5-Coder-0.5B': qwen25Coder('Qwen/Qwen2.5-0.5B'),
  'Qwen/Qwen2.5-Coder-0.5B-Instruct': qwen25Coder('Qwen/Qwen2.5-0.5B'),
  'Qwen/Qwen2.5-Coder-1.5B': qwen25Coder('Qwen/Qwen2.5-1.5B'),
  'Qwen/Qwen2.5-Coder-1.5B-Instruct': qwen25Coder('Qwen/Qwen2.5-1.5B'),
  'Qwen/Qwen2.5-Coder-3B': qwen25Coder('Qwen/Qwen2.5-3B'),
  'Qwen/Qwen2.5-Coder-3B-Instruct': qwen25Coder('Qwen/Qwen2.5-3B'),
  'Qwen/Qwen2.5-Coder-7B': qwen25Coder('Qwen/Qwen2.5-7B'),
  'Qwen/Qwen2.5-Coder-7B-Instruct': qwen25Coder('Qwen/Qwen2.5-7B'),
  'Qwen/Qwen2.5-Coder-14B': qwen25Coder('Qwen/Qwen2.5-14B'),
  'Qwen/Qwen2.5-Coder-14B-Instruct': qwen25Coder('Qwen/Qwen2.5-14B'),
  'Qwen/Qwen2.5-Coder-32B': qwen25Coder('Qwen/Qwen2.5-32B'),
  'Qwen/Qwen2.5-Coder-32B-Instruct': qwen25Coder('Qwen/Qwen2.5-32B'),
  'Qwen/Qwen2.5-Math-1.5B': qwen25Math('Qwen/Qwen2.5-1.5B'),
  'Qwen/Qwen2.5-Math-1.5B-Instruct': qwen25Math('Qwen/Qwen2.5-1.5B'),
  'Qwen/Qwen2.5-Math-7B': qwen25Math('Qwen/Qwen2.5-7B'),
  'Qwen/Qwen2.5-Math-7B-Instruct': qwen25Math('Qwen/Qwen2.5-7B'),
  'Qwen/Qwen2.5-Math-72B': qwen25Math('Qwen/Qwen2.5-72B'),
  'Qwen/Qwen2.5-Math-72B-Instruct': qwen25Math('Qwen/Qwen2.5-72B'),
  'Qwen/Qwen3-0.6B-Base': qwen3Base('Qwen/Qwen3-0.6B'),
  'Qwen/Qwen3-1.7B-Base': qwen3Base('Qwen/Qwen3-1.7B'),
  'Qwen/Qwen3-4B-Base': qwen3Base('Qwen/Qwen3-4B'),
  'Qwen/Qwen3-8B-Base': qwen3Base('Qwen/Qwen3-8B'),
  'Qwen/Qwen3-14B-Base': qwen3Base('Qwen/Qwen3-14B'),
  'Qwen/Qwen3-4B-Thinking-2507': sameShapesAs(
    'Qwen/Qwen3-4B-Instruct-2507',
    'the Thinking-2507 config equals the Instruct-2507 one',
  ),
  'Qwen/Qwen3-30B-A3B-Instruct-2507': sameShapesAs(
    'Qwen/Qwen3-30B-A3B-Thinking-2507',
    'the Instruct-2507 config equals the Thinking-2507 one',
  ),
  'Qwen/Qwen3-235B-A22B-Instruct-2507': sameShapesAs(
    'Qwen/Qwen3-235B-A22B-Thinking-2507',
    'the Instruct-2507 config equals the Thinking-2507 one',
  ),
  'Qwen/Qwen3-Coder-30B-A3B-Instruct': sameShapesAs(
    'Qwen/Qwen3-30B-A3B-Thinking-2507',
    'Qwen3-Coder-30B-A3B has the Qwen3-30B-A3B-2507 shapes (262144 positions)',
  ),
  'Qwen/Qwen3-Next-80B-A3B-Instruct': sameShapesAs(
    'Qwen/Qwen3-Next-80B-A3B-Thinking',
    'the Instruct config equals the Thinking one (MaxText holds an unlabelled Qwen3-Next-80B-A3B copy with the same shapes)',
  ),
  'deepseek-ai/DeepSeek-V3-Base': { base: 'deepseek-ai/DeepSeek-V3' },
  'deepseek-ai/DeepSeek-V3.1-Base': sameShapesAs('deepseek-ai/DeepSeek-V3.1', 'the base release has the V3.1 config'),
  'deepseek-ai/DeepSeek-V3.1-Terminus': sameShapesAs(
    'deepseek-ai/DeepSeek-V3.1',
    'V3.1-Terminus keeps the V3.1 config',
  ),
  'deepseek-ai/DeepSeek-R1-0528': sameShapesAs('deepseek-ai/DeepSeek-R1', 'R1-0528 keeps the R1 config'),
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B': sameShapesAs(
    'Qwen/Qwen2.5-1.5B',
    'the distill keeps the Qwen2.5(-Math)-1.5B shapes with an untied lm_head (1.78 B parameters)',
    { tieWordEmbeddings: false },
  ),
  'mistralai/Mistral-Nemo-Instruct-2407': sameShapesAs(
    'mistralai/Mistral-Nemo-Base-2407',
    'the Instruct config is the base one with max_position_embeddings 1024000',
    { maxPositionEmbeddings: 1024000 },
  ),
  'microsoft/Phi-4-mini-reasoning': sameShapesAs(
    'microsoft/Phi-4-mini-instruct',
    'Phi-4-mini-reasoning keeps the Phi-4-mini-instruct config',
  ),
  'moonshotai/Kimi-K2-Base': sameShapesAs('moonshotai/Kimi-K2-Instruct', 'the base release has the Instruct config'),
  'moonshotai/Kimi-K2-Instruct-0905': sameShapesAs(
    'moonshotai/Kimi-K2-Instruct',
    'K2-Instruct-0905 is K2-Instruct with 262144 positions (its model card: 256K context)',
    { maxPositionEmbeddings: 262144 },
  ),
  // ai-dynamo/aiconfigurator's abridged K2-Thinking copy (src/aiconfigurator/model_configs/
  // moonshotai--Kimi-K2-Thinking_config.json, commit d9219759) has the K2 shapes and 262144 positions
  // but drops quantization_config; the INT4 QAT release is taken to carry Kimi-K2.5's (same repo,
  // aic-core/.../moonshotai--Kimi-K2.5_config.json): compressed-tensors int4, group 32, experts only.
  'moonshotai/Kimi-K2-Thinking': sameShapesAs(
    'moonshotai/Kimi-K2-Instruct',
    'K2-Thinking ships int4 experts (compressed-tensors, group 32) as Kimi-K2.5 does',
    {
      maxPositionEmbeddings: 262144,
      checkpointQuantization: {
        method: 'compressed-tensors',
        bits: 4,
        groupSize: 32,
        unquantizedModules: {
          key: 'ignore',
          patterns: [
            'lm_head',
            're:.*self_attn.*',
            're:.*shared_experts.*',
            're:.*mlp\\.(gate|up|gate_up|down)_proj.*',
          ],
          match: 'exact-or-regex',
        },
      },
    },
  ),
  'MiniMaxAI/MiniMax-M2': sameShapesAs('MiniMaxAI/MiniMax-M2.5', 'MiniMax-M2 has the M2.5 shapes'),
  'MiniMaxAI/MiniMax-M2.1': sameShapesAs('MiniMaxAI/MiniMax-M2.5', 'MiniMax-M2.1 has the M2.5 shapes'),
  'mistralai/Mistral-Small-3.1-24B-Base-2503': sameShapesAs(
    'mistralai/Mistral-Small-3.1-24B-Instruct-2503',
    'the base release has the Instruct config',
  ),
  'mistralai/Mistral-Small-3.2-24B-Instruct-2506': sameShapesAs(
    'mistralai/Mistral-Small-3.1-24B-Instruct-2503',
    'Mistral-Small-3.2 keeps the 3.1 config',
  ),
  'mistralai/Mistral-Small-24B-Instruct-2501': sameShapesAs(
    'mistralai/Mistral-Small-3.1-24B-Instruct-2503',
    'Mistral Small 3 (2501) is the 3.1 text decoder without the vision encoder, with 32768 positions',
    { params: 23572403200, maxPositionEmbeddings: 32768 },
  ),
  'mistralai/Mistral-Small-24B-Base-2501': sameShapesAs(
    'mistralai/Mistral-Small-3.1-24B-Instruct-2503',
    'Mistral Small 3 (2501) is the 3.1 text decoder without the vision encoder, with 32768 positions',
    { params: 23572403200, maxPositionEmbeddings: 32768 },
  ),
  'mistralai/Mistral-Large-Instruct-2411': sameShapesAs(
    'mistralai/Mistral-Large-Instruct-2407',
    'Mistral-Large-2411 keeps the 2407 shapes',
  ),
  'zai-org/glm-4-9b-chat': { base: 'THUDM/glm-4-9b-chat' },
  'deepseek-ai/DeepSeek-V3.2-Exp': sameShapesAs('deepseek-ai/DeepSeek-V3.2', 'V3.2-Exp has the V3.2 config'),
  'zai-org/GLM-5.1': sameShapesAs('zai-org/GLM-5', 'GLM-5.1 has the GLM-5 shapes'),
  'google/gemma-4-26B-A4B-it': { base: 'google/gemma-4-26B-A4B' },
  'google/gemma-3n-E4B-it': { base: 'google/gemma-3n-E4B' },
  'google/gemma-3n-E2B-it': { base: 'google/gemma-3n-E2B' },
  'zai-org/GLM-4.6': sameShapesAs('zai-org/GLM-4.7', 'GLM-4.6 has the GLM-4.7 shapes'),
  'zai-org/GLM-4.5': sameShapesAs('zai-org/GLM-4.7', 'GLM-4.5 has the GLM-4.7 shapes with 131072 positions', {
    maxPositionEmbeddings: 131072,
  }),
};

/** Every name that shares a catalog row (the rows' own ids are `CATALOG_MODELS`). */
export const CATALOG_VARIANT_IDS: readonly string[] = Object.keys(VARIANTS);

// Unsloth names its dynamic 4-bit checkpoints `-unsloth-bnb-4bit`: some layers stay 16-bit, which
// Unsloth puts at under 10 % more memory than plain NF4 (its "Dynamic 4-bit Quantization" post).
const UNSLOTH_DYNAMIC: SuffixCaveat = {
  note: 'assumption: an Unsloth dynamic 4-bit checkpoint keeps some layers in 16-bit (its config.json lists them in llm_int8_skip_modules); without that config every layer is counted as 4-bit, so the weights may be up to 10 % low',
  weightsUncertainty: 0.1,
};

interface SuffixCaveat {
  note: string;
  weightsUncertainty: number;
}

// Suffixes of quantized repacks, longest first: the architecture is the base model's.
const QUANT_SUFFIXES: [RegExp, string, SuffixCaveat?][] = [
  [/-unsloth-bnb-4bit$/i, 'bitsandbytes', UNSLOTH_DYNAMIC],
  [/-bnb-4bit$/i, 'bitsandbytes'],
  [/-gptq-int4$/i, 'gptq'],
  [/-gptq-int8$/i, 'gptq8'],
  [/-gptq$/i, 'gptq'],
  [/-int4-awq$/i, 'awq'],
  [/-awq-int4$/i, 'awq'], // hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4
  [/-awq(-4bit)?$/i, 'awq'],
  [/-fp8-dynamic$/i, 'fp8'],
  [/-fp8$/i, 'fp8'],
  [/(-quantized)?[-.]w8a8$/i, 'int8'], // RedHatAI's -quantized.w8a8 and -W8A8
  [/-quantized\.w8a16$/i, 'gptq8'],
  [/(-quantized)?[-.]w4a16$/i, 'gptq'], // RedHatAI's -quantized.w4a16 and -W4A16
  [/-nvfp4$/i, 'nvfp4'],
];

const BY_ID = new Map<string, ModelArchitecture>();
const BY_NAME = new Map<string, string[]>();
for (const a of CATALOG_MODELS) BY_ID.set(a.id.toLowerCase(), a);
for (const id of [...CATALOG_MODELS.map((a) => a.id), ...Object.keys(VARIANTS)]) {
  const name = (id.split('/').pop() ?? id).toLowerCase();
  BY_NAME.set(name, [...(BY_NAME.get(name) ?? []), id]);
}
// The name part with case and separators ignored: `qwen2_5-72b-instruct` is Qwen2.5-72B-Instruct,
// as people name checkpoint folders.
const looseName = (name: string) => name.toLowerCase().replace(/[-_.\s]+/g, '');
const BY_LOOSE_NAME = new Map<string, string[]>();
for (const [name, ids] of BY_NAME) {
  const key = looseName(name);
  BY_LOOSE_NAME.set(key, [...new Set([...(BY_LOOSE_NAME.get(key) ?? []), ...ids])]);
}
const VARIANT_BY_ID = new Map(Object.entries(VARIANTS).map(([k, v]) => [k.toLowerCase(), { id: k, ...v }]));

/** The catalog id, the variant chain's assumptions, and the architecture, for an exact id. */
function exact(id: string, depth = 0): { arch: ModelArchitecture; notes: string[]; rootId: string } | undefined {
  const key = id.toLowerCase();
  const direct = BY_ID.get(key);
  if (direct) return { arch: direct, notes: [], rootId: direct.id };
  const v = VARIANT_BY_ID.get(key);
  if (!v || depth > 4) return undefined;
  const base = exact(v.base, depth + 1);
  if (!base) return undefined;
  const arch: ModelArchitecture = { ...base.arch, ...v.overrides, id: v.id };
  for (const k of Object.keys(arch) as (keyof ModelArchitecture)[]) if (arch[k] === undefined) delete arch[k];
  return { arch, notes: v.assumption ? [...base.notes, v.assumption] : base.notes, rootId: base.rootId };
}

// Architectures with a part of their memory no formula here covers. They resolve (the user sees
// which model it is) but get no estimate: a wrong number costs more trust than none.
const DSA =
  "DeepSeek Sparse Attention: besides the MLA latent cache, every layer's indexer keeps its own per-token key cache (index_head_dim in FP8 with scales), which the KV-cache formula does not count";
const GEMMA3N =
  "Gemma 3n: the last layers reuse earlier layers' KV cache (num_kv_shared_layers), and per-layer embeddings and AltUp add weights outside the per-layer formula";
const GEMMA4 =
  'Gemma 4: full-attention layers have another head size and KV-head count than the sliding ones (global_head_dim, num_global_key_value_heads, K = V), which the one-shape KV-cache formula cannot express';
const LIGHTNING =
  'lightning (linear) attention layers, marked in attn_type_list, keep a per-request state whose size the memory model does not compute';
const NOT_MODELLED_TYPES: Record<string, string> = {
  deepseek_v32: DSA,
  glm_moe_dsa: DSA,
  deepseek_v4:
    'DeepSeek-V4 attention: per-layer compressed KV (compress_ratios), a sliding window, a sparse indexer and hyper-connections, none of which the KV-cache formula covers',
  minimax_m3:
    'MiniMax-M3 sparse attention: a learned indexer with its own cache on most layers (sparse_attention_config), which the KV-cache formula does not count',
  gemma3n: GEMMA3N,
  gemma3n_text: GEMMA3N,
  gemma4: GEMMA4,
  gemma4_text: GEMMA4,
  minimax: LIGHTNING,
  minimax_text_01: LIGHTNING,
  minimax_m1: LIGHTNING,
  mllama_text_model:
    "cross-attention layers (Llama 3.2 Vision) cache the image tokens' keys and values, which the self-attention KV-cache formula does not count",
};

/** The config.json model types that resolve but get no estimate (docs/model-catalog.md lists them). */
export const NOT_MODELLED_MODEL_TYPES: readonly string[] = Object.keys(NOT_MODELLED_TYPES);

/**
 * Why an architecture cannot be estimated, from its config.json model_type, or from the config
 * keys that introduce such a mechanism in a model type not listed; undefined when it can be.
 */
export function notModelledReason(modelType: string, config: Record<string, unknown> = {}): string | undefined {
  const known = NOT_MODELLED_TYPES[modelType];
  if (known) return known;
  if (config.index_topk !== undefined || config.index_head_dim !== undefined)
    return `${modelType}: a sparse-attention indexer with its own per-token cache (index_head_dim), which the KV-cache formula does not count`;
  if (typeof config.num_kv_shared_layers === 'number' && config.num_kv_shared_layers > 0)
    return `${modelType}: layers that reuse another layer's KV cache (num_kv_shared_layers), which the KV-cache formula does not express`;
  if (Array.isArray(config.attn_type_list) && config.attn_type_list.includes(0)) return `${modelType}: ${LIGHTNING}`;
  if (config.compress_ratios !== undefined || config.sparse_attention_config !== undefined)
    return `${modelType}: compressed or sparse attention caches (compress_ratios / sparse_attention_config) that the KV-cache formula does not cover`;
  return undefined;
}

/** `org/name`, `https://huggingface.co/org/name`, `org/name@rev`, `org/name/` → `org/name`. */
export function normalizeModelId(raw: string): string {
  let s = raw.trim();
  s = s.replace(/^https?:\/\/(?:www\.)?huggingface\.co\//i, '').replace(/^hf:\/\//i, '');
  s = s.replace(/\s*\([^)]*\)\s*$/, ''); // "Meta-Llama-3-70B (BF16)" as people write it
  s = s.replace(/\/(?:tree|blob|resolve)\/.*$/i, '');
  s = s.replace(/@[\w.-]+$/, '');
  s = s.replace(/\/+$/, '');
  return s;
}

export interface CatalogLookup {
  architecture: ModelArchitecture;
  /** The catalog entry it came from. */
  catalogId: string;
  /** Plain-words caveats (variant not verified field by field, another org's repack, ...). */
  assumptions: string[];
}

/** Catalog lookup with the reasons it matched; undefined when nothing in the catalog fits. */
export function lookupArchitectureDetailed(id: string): CatalogLookup | undefined {
  if (typeof id !== 'string' || id.length === 0 || id.length > 300) return undefined;
  const clean = normalizeModelId(id);
  if (!clean) return undefined;
  const found = findWithSuffixes(clean);
  if (!found) return undefined;
  const architecture: ModelArchitecture = { ...found.arch, id: clean };
  if (found.quantization && !architecture.checkpointQuantization)
    architecture.checkpointQuantization = found.quantization;
  const notModelled = notModelledReason(architecture.modelType);
  if (notModelled) architecture.notModelled = notModelled;
  return { architecture, catalogId: found.rootId, assumptions: found.notes };
}

/** The architecture of a model id (case-insensitive; tolerates a trailing `/` and `@revision`). */
export function lookupArchitecture(id: string): ModelArchitecture | undefined {
  return lookupArchitectureDetailed(id)?.architecture;
}

interface Found {
  arch: ModelArchitecture;
  rootId: string;
  notes: string[];
  quantization?: QuantizationSpec;
}

function findWithSuffixes(id: string): Found | undefined {
  const direct = findById(id);
  if (direct) return direct;
  for (const [re, method, caveat] of QUANT_SUFFIXES) {
    if (!re.test(id)) continue;
    const base = findById(id.replace(re, ''));
    if (!base) continue;
    const q = method === 'gptq8' ? { method: 'gptq', bits: 8, groupSize: 128 } : quantizationFromName(method);
    const notes = [...base.notes, `assumption: a ${q?.method ?? method} repack of ${base.arch.id}`];
    if (!caveat) return { ...base, quantization: q, notes };
    return {
      ...base,
      arch: { ...base.arch, weightsUncertainty: caveat.weightsUncertainty },
      quantization: q,
      notes: [...notes, caveat.note],
    };
  }
  return undefined;
}

function findById(id: string): Found | undefined {
  const e = exact(id);
  if (e) return e;
  // Another org's copy, or a bare name: match the name part when it is unambiguous.
  const name = (id.split('/').pop() ?? id).toLowerCase();
  const ids = BY_NAME.get(name) ?? BY_LOOSE_NAME.get(looseName(name));
  if (ids?.length !== 1) return undefined;
  const e2 = exact(ids[0]);
  if (!e2) return undefined;
  const note = id.includes('/') ? `assumption: ${id} is a copy of ${ids[0]}` : `assumption: ${id} is ${ids[0]}`;
  return { arch: e2.arch, notes: [...e2.notes, note], rootId: e2.rootId };
}

// Non-gated MLPs (fc1/fc2) instead of SwiGLU gate/up/down.
const TWO_MATRIX_MLP = new Set([
  'gpt2',
  'opt',
  'gpt_neox',
  'gptj',
  'phi',
  'falcon',
  'bloom',
  'gpt_bigcode',
  'starcoder2',
]);

/** Whether the MLP has gate, up and down projections (3 matrices) or fc1/fc2 (2). */
export function mlpMatrices(arch: ModelArchitecture): 2 | 3 {
  return TWO_MATRIX_MLP.has(arch.modelType) ? 2 : 3;
}

/** A linear module of a decoder layer: its name under `model.layers.<i>.` and its parameters. */
export interface LayerModule {
  name: string;
  params: number;
  /** The MoE expert weights (all experts of the layer as one entry). */
  expert: boolean;
}

const sumParams = (modules: readonly LayerModule[]) => modules.reduce((a, m) => a + m.params, 0);

/** The attention projections of one layer (GQA q/k/v/o, or MLA's low-rank projections). */
export function attentionModules(arch: ModelArchitecture): LayerModule[] {
  const h = arch.hiddenSize;
  const heads = arch.numAttentionHeads;
  if (arch.mla) {
    const { kvLoraRank, qkRopeHeadDim, qkNopeHeadDim = 128, vHeadDim = 128, qLoraRank } = arch.mla;
    const qHead = qkNopeHeadDim + qkRopeHeadDim;
    const q: LayerModule[] = qLoraRank
      ? [
          { name: 'self_attn.q_a_proj', params: h * qLoraRank, expert: false },
          { name: 'self_attn.q_b_proj', params: qLoraRank * heads * qHead, expert: false },
        ]
      : [{ name: 'self_attn.q_proj', params: h * heads * qHead, expert: false }];
    return [
      ...q,
      { name: 'self_attn.kv_a_proj_with_mqa', params: h * (kvLoraRank + qkRopeHeadDim), expert: false },
      { name: 'self_attn.kv_b_proj', params: kvLoraRank * heads * (qkNopeHeadDim + vHeadDim), expert: false },
      { name: 'self_attn.o_proj', params: heads * vHeadDim * h, expert: false },
    ];
  }
  const q = heads * arch.headDim;
  const kv = arch.numKeyValueHeads * arch.headDim;
  return [
    { name: 'self_attn.q_proj', params: h * q, expert: false },
    { name: 'self_attn.k_proj', params: h * kv, expert: false },
    { name: 'self_attn.v_proj', params: h * kv, expert: false },
    { name: 'self_attn.o_proj', params: q * h, expert: false },
  ];
}

/** The MLP of one layer: dense gate/up/down (or up/down), or the router, the experts and the shared experts. */
export function mlpModules(arch: ModelArchitecture, moeLayer: boolean): LayerModule[] {
  const h = arch.hiddenSize;
  if (!moeLayer || !arch.moe) {
    const per = h * arch.intermediateSize;
    const gate: LayerModule[] = mlpMatrices(arch) === 3 ? [{ name: 'mlp.gate_proj', params: per, expert: false }] : [];
    return [
      ...gate,
      { name: 'mlp.up_proj', params: per, expert: false },
      { name: 'mlp.down_proj', params: per, expert: false },
    ];
  }
  const { numExperts, moeIntermediateSize, numSharedExperts = 0 } = arch.moe;
  const out: LayerModule[] = [
    { name: 'mlp.gate', params: h * numExperts, expert: false },
    { name: 'mlp.experts', params: 3 * h * moeIntermediateSize * numExperts, expert: true },
  ];
  if (numSharedExperts > 0)
    out.push({ name: 'mlp.shared_experts', params: 3 * h * moeIntermediateSize * numSharedExperts, expert: false });
  return out;
}

/**
 * Parameters per decoder layer (attention + MLP or experts), excluding embeddings and norms'
 * negligible weights; `params` when the catalog holds an exact count is preferred by callers.
 */
export function layerParams(arch: ModelArchitecture): { attention: number; mlpDense: number; mlpMoe: number } {
  return {
    attention: sumParams(attentionModules(arch)),
    mlpDense: sumParams(mlpModules(arch, false)),
    mlpMoe: arch.moe ? sumParams(mlpModules(arch, true)) : 0,
  };
}

/** Total parameters: the exact count when known, else computed from the shapes. */
export function totalParams(arch: ModelArchitecture): number {
  if (arch.params && arch.params > 0) return arch.params;
  const { attention, mlpDense, mlpMoe } = layerParams(arch);
  const dense = arch.moe ? Math.min(arch.moe.firstKDenseLayers ?? 0, arch.numLayers) : arch.numLayers;
  const moeLayers = arch.moe ? arch.numLayers - dense : 0;
  const layers =
    arch.numLayers * attention + dense * mlpDense + moeLayers * mlpMoe + arch.numLayers * 2 * arch.hiddenSize;
  const embeddings = arch.vocabSize * arch.hiddenSize * (arch.tieWordEmbeddings ? 1 : 2);
  return layers + embeddings;
}
