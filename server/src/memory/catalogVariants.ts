// Names that share a catalog row: the -Instruct / -it / -chat releases, later releases with the same
// shapes, and other names of one model. Each variant names its base row and, where its config was
// not checked field by field, the assumption shown to the user. The rows are memory/architectureData.ts;
// the lookup that follows these chains is memory/architectures.ts.
import type { ModelArchitecture } from './types';

export interface CatalogVariant {
  base: string;
  overrides?: Partial<ModelArchitecture>;
  /** Set when the variant's config was not checked field by field: shown to the user. */
  assumption?: string;
}

/** Phi-3's 128k variants: the 4k model with 131072 positions by longrope and no sliding window. */
function phi3LongRope128k(base: string): CatalogVariant {
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
function sameShapesAs(base: string, assumption: string, overrides?: Partial<ModelArchitecture>): CatalogVariant {
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
export const CATALOG_VARIANTS: Record<string, CatalogVariant> = {
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
export const CATALOG_VARIANT_IDS: readonly string[] = Object.keys(CATALOG_VARIANTS);
