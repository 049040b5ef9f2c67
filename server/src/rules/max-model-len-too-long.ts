// vLLM refuses a max_model_len above what it derives from the config (max_position_embeddings with
// rope scaling) unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 (vllm-project/vllm#16757).
import { setArgFix } from './fixes';
import { memoryRule } from './memory-rule';

const CODE = 'max-model-len-too-long';

export const maxModelLenTooLong = memoryRule(CODE, (f, e) => {
  const arg = f.args.get('max_model_len') ?? f.args.get('max_length');
  const fix = arg
    ? setArgFix(
        f,
        arg.key.trim(),
        e.derivedMaxModelLen,
        `Set ${arg.key.trim()}=${e.derivedMaxModelLen} (the model's maximum)`,
        true,
      )
    : undefined;
  return [
    {
      code: CODE,
      severity: 'error',
      message: `max_model_len=${e.maxModelLen} is above the ${e.derivedMaxModelLen} tokens vLLM derives from the model config: vLLM refuses it unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 is set or rope scaling is configured.`,
      range: arg?.range ?? f.invocation.range,
      fixes: fix ? [fix] : [],
    },
  ];
});
