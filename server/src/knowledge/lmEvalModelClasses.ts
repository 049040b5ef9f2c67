// lm-eval's model classes and the `--model` name each is registered under
// (`@register_model(...)` in lm_eval/models/*.py, v0.4.9.1), for a Python launch that passes an
// object (`simple_evaluate(model=HFLM(...))`, `lm = HFLM(...)` then `model=lm`): its backend is
// the class's registry name.
export const LM_EVAL_MODEL_CLASSES: Readonly<Record<string, string>> = {
  HFLM: 'hf',
  HFMultimodalLM: 'hf-multimodal',
  VLLM: 'vllm',
  VLLM_VLM: 'vllm-vlm',
  LocalCompletionsAPI: 'local-completions',
  LocalChatCompletion: 'local-chat-completions',
  OpenAICompletionsAPI: 'openai-completions',
  OpenAIChatCompletion: 'openai-chat-completions',
  AnthropicLM: 'anthropic-completions',
  AnthropicChat: 'anthropic-chat',
  SGLangLM: 'sglang',
  GGUFLM: 'gguf',
  MambaLMWrapper: 'mamba_ssm',
  NEURON_HF: 'neuronx',
  IPEXLM: 'ipex',
  OptimumLM: 'openvino',
  SteeredModel: 'steered',
  DummyLM: 'dummy',
  TextSynthLM: 'textsynth',
};
