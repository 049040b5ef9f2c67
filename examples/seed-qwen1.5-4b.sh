#!/usr/bin/env bash
# lm-eval issue #1923: Qwen1.5-4B runs out of memory on an 80 GB A100 with vLLM, even at
# gpu_memory_utilization=0.6 and max_model_len=1024, while Llama-3-8B runs fine.
# lm-eval-lens: gpu=A100-80GB

lm_eval --model vllm \
  --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6,max_model_len=1024 \
  --tasks mmlu \
  --batch_size auto
