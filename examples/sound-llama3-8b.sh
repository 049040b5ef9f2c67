#!/usr/bin/env bash
# A sound configuration: lm-eval-lens should stay silent here.
# lm-eval-lens: gpu=A100-80GB
lm_eval --model vllm \
  --model_args pretrained=meta-llama/Meta-Llama-3-8B,dtype=auto,gpu_memory_utilization=0.8,max_model_len=4096 \
  --tasks gsm8k \
  --batch_size auto
