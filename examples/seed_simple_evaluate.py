"""The seed configuration (lm-eval issue #1923) through the Python API."""
# lm-eval-lens: gpu=A100-80GB
import lm_eval

results = lm_eval.simple_evaluate(
    model="vllm",
    model_args="pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6,max_model_len=1024",
    tasks=["mmlu"],
    batch_size="auto",
)
print(results["results"])
