#!/usr/bin/env bash
# Llama-3.1-8B without max_model_len: vLLM derives 131,072 tokens from the config, whose KV cache
# cannot fit on a 24 GB L4 next to the weights, so vLLM refuses to start.
# lm-eval-lens: gpu=L4
lm_eval --model vllm \
  --model_args pretrained=meta-llama/Llama-3.1-8B,gpu_memory_utilization=0.9 \
  --tasks gsm8k \
  --batch_size auto
