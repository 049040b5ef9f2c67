// Generators of hostile and half-typed input for the fuzz properties (fast-check): fragments of
// real lm-eval launches and task configs spliced with quotes, escapes, commas and junk.
import fc from 'fast-check';

const launchFragments = [
  'lm_eval', 'lm-eval run', 'python -m lm_eval', 'accelerate launch -m lm_eval', ' --model vllm', ' --model hf', ' -a ',
  ' --model_args ', ' --model_args=', 'pretrained=Qwen/Qwen1.5-4B', 'pretrained=meta-llama/Llama-3.1-8B', ',dtype=float',
  ',gpu_memory_utilization=0.6', ',max_model_len=1024', ',tensor_parallel_size=3', ',batch_size=8', ',,', '=', ',',
  ' --tasks mmlu', ' --tasks gsm8k,arc_easy', ' --batch_size auto', ' --gen_kwargs max_gen_toks=4096', ' \\\n  ', '\n',
  '"', "'", '{"pretrained": "Qwen/Qwen1.5-4B"', '}', '$MODEL', '${ARGS}', '#SBATCH --gres=gpu:a100:4\n',
  '# lm-eval-lens: gpu=L4 vllm=0.6.3\n', 'CUDA_VISIBLE_DEVICES=0,1 ', 'export VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\n',
  'simple_evaluate(model="vllm", model_args=', 'dict(', ')', '[', ']', '"""', '\\', '\u0000', '\uFFFD', '😀', '\r\n',
];

const yamlFragments = [
  'task: t\n', 'group: g\n', 'include: _t_yaml\n', 'include: [a.yaml, b.yaml]\n', 'output_type: multiple_choice\n',
  'doc_to_txt: x\n', 'metric_list:\n  - metric: acc\n', '    aggregation: mean\n', 'process_docs: !function utils.f\n',
  'filter_list:\n  - name: x\n    filter:\n      - function: take_first_k\n', '  ', '- ', ': ', '"', "'", '&a [*a,*a]\n',
  '!!python/object:os.system\n', '{', '}', '[', ']', '\t', '\n', 'model: vllm\n', 'model_args:\n  pretrained: x\n',
  'generation_kwargs:\n  until: [\'\\n\']\n', '? ', '|\n  ', '>-\n  ', '---\n', '...\n', '%YAML 1.1\n',
];

export const launchText = fc.array(fc.oneof(fc.constantFrom(...launchFragments), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((p) => p.join(''));
export const yamlText = fc.array(fc.oneof(fc.constantFrom(...yamlFragments), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((p) => p.join(''));
export const documentPath = fc.constantFrom('/w/run.sh', '/w/job.slurm', '/w/eval.py', '/w/run.yaml', '/w/tasks/t.yaml', '/w/launch.json', '/w/nb.ipynb', '/w/README.md', '/w/noext');
