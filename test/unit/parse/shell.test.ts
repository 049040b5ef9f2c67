// Shell and SLURM scripts: commands, wrappers, flags, environment and variables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findShellInvocations } from '../../../server/src/parse/shell';
import { readFixture } from '../../helpers/paths';

const slice = (s: string, r: { start: number; end: number }) => s.slice(r.start, r.end);

describe('findShellInvocations', () => {
  const text = readFixture('parse', 'hard.sh');
  const invs = findShellInvocations(text);

  it('finds the launches and skips comments and here-documents', () => {
    assert.equal(invs.length, 5);
    assert.ok(invs.every((i) => i.modelArgs?.args[0]?.key === 'pretrained'));
    assert.ok(!invs.some((i) => i.modelArgs?.args.some((a) => a.value === 'heredoc')));
  });

  it('accelerate launch: launcher, inline env, $VAR resolved into the assignment, several values', () => {
    const inv = invs[0];
    assert.equal(inv.launcher?.value, 'accelerate launch --num_processes 2 -m');
    assert.equal(slice(text, inv.launcher!.range), 'accelerate launch --num_processes 2 -m');
    assert.equal(inv.env.HF_HOME?.value, '/tmp/hf');
    assert.equal(inv.env.CUDA_VISIBLE_DEVICES?.value, '0,1');
    assert.equal(slice(text, inv.env.CUDA_VISIBLE_DEVICES!.range), '0,1');
    const args = inv.modelArgs!.args;
    assert.deepEqual(
      args.map((a) => [a.key, a.value]),
      [
        ['pretrained', 'Qwen/Qwen1.5-4B'],
        ['dtype', 'float'],
        ['gpu_memory_utilization', 0.6],
        ['max_model_len', 1024],
      ],
    );
    // dtype lives in the MODEL_ARGS= line; max_model_len on the command line.
    assert.ok(args[1].range.start < text.indexOf('accelerate'));
    assert.equal(slice(text, args[1].range), 'dtype=float');
    assert.equal(slice(text, args[3].range), 'max_model_len=1024');
    assert.equal(slice(text, inv.modelArgs!.range), '$MODEL_ARGS max_model_len=1024');
    assert.deepEqual(
      inv.tasks?.map((t) => [t.name, slice(text, t.range)]),
      [
        ['mmlu', 'mmlu'],
        ['gsm8k', 'gsm8k'],
        ['arc_easy', 'arc_easy'],
      ],
    );
    assert.equal(inv.batchSize?.value, 'auto');
    assert.equal(slice(text, inv.batchSize!.range), 'auto');
  });

  it('srun + python3 -m lm_eval run with short flags; unknown $X is unresolved', () => {
    const inv = invs[1];
    assert.equal(inv.launcher?.value, 'srun --ntasks=1');
    assert.equal(inv.model?.value, 'vllm');
    const p = inv.modelArgs!.args[0];
    assert.equal(p.unresolved, true);
    assert.equal(slice(text, p.valueRange), '$UNKNOWN');
    assert.equal(inv.modelArgs!.hostEscaping, 'shell-double');
    assert.deepEqual(
      inv.tasks?.map((t) => t.name),
      ['mmlu'],
    );
  });

  it('a loop variable stays unresolved; the JSON form; split quoting', () => {
    assert.equal(invs[2].modelArgs!.args[0].unresolved, true);
    assert.equal(invs[3].modelArgs!.dialect, 'json');
    assert.equal(invs[3].modelArgs!.hostEscaping, 'shell-single');
    assert.deepEqual(
      invs[3].modelArgs!.args.map((a) => [a.key, a.value]),
      [
        ['pretrained', 'x'],
        ['max_model_len', 4096],
      ],
    );
    const split = invs[4].modelArgs!.args[0];
    assert.equal(split.value, 'Qwen/Qwen');
    assert.equal(slice(text, split.valueRange), "Qwen/Q'\\\nwen");
  });

  it('recognises every entry point and wrapper', () => {
    const lines = [
      'lm-eval run --model vllm --model_args pretrained=a',
      'lm_eval --model vllm --model_args=pretrained=a',
      '/opt/venv/bin/lm_eval --model vllm -a pretrained=a',
      'python -m lm_eval --model vllm --model_args pretrained=a',
      'torchrun --nproc_per_node=2 -m lm_eval --model hf --model_args pretrained=a',
      'uv run lm_eval --model vllm --model_args pretrained=a',
      'nohup time env CUDA_VISIBLE_DEVICES=1 lm_eval --model vllm --model_args pretrained=a > log 2>&1 &',
      'if true; then lm_eval --model vllm --model_args pretrained=a; fi',
    ];
    for (const line of lines) {
      const found = findShellInvocations(line);
      assert.equal(found.length, 1, line);
      assert.deepEqual(
        found[0].modelArgs?.args.map((a) => [a.key, a.value, slice(line, a.range)]),
        [['pretrained', 'a', 'pretrained=a']],
        line,
      );
    }
    assert.equal(findShellInvocations(lines[6])[0].env.CUDA_VISIBLE_DEVICES?.value, '1');
    assert.equal(findShellInvocations(lines[4])[0].launcher?.value, 'torchrun --nproc_per_node=2 -m');
    for (const not of [
      'echo lm_eval --model vllm',
      'lm_eval ls tasks',
      'python train.py --model_args a=1',
      'pip install lm_eval',
      'lm_eval',
    ]) {
      assert.deepEqual(findShellInvocations(not), [], not);
    }
  });

  it('the last assignment before the command wins', () => {
    const s =
      'export CUDA_VISIBLE_DEVICES=0\nlm_eval --model vllm --model_args pretrained=a\nCUDA_VISIBLE_DEVICES=2,3\nlm_eval --model vllm --model_args pretrained=b';
    const found = findShellInvocations(s);
    assert.deepEqual(
      found.map((i) => i.env.CUDA_VISIBLE_DEVICES?.value),
      ['0', '2,3'],
    );
  });

  it('other flags: gen_kwargs, num_fewshot, include_path, apply_chat_template, device, max_batch_size', () => {
    const s =
      'lm_eval --model vllm --model_args pretrained=a --gen_kwargs max_gen_toks=512,temperature=0 -f 5 --include_path ./tasks --apply_chat_template --device cuda:1 --max_batch_size 64';
    const inv = findShellInvocations(s)[0];
    assert.deepEqual(
      inv.genKwargs?.args.map((a) => [a.key, a.value]),
      [
        ['max_gen_toks', 512],
        ['temperature', 0],
      ],
    );
    assert.equal(inv.numFewshot?.value, '5');
    assert.deepEqual(
      inv.includePath?.map((p) => p.value),
      ['./tasks'],
    );
    assert.equal(inv.applyChatTemplate?.value, 'True');
    assert.equal(inv.device?.value, 'cuda:1');
    assert.equal(inv.maxBatchSize?.value, '64');
    assert.equal(slice(s, inv.range), s);
  });

  it('a repeated --model_args flag merges, warning on the overwritten key', () => {
    const s = 'lm_eval --model vllm --model_args pretrained=a,dtype=float --model_args dtype=bfloat16';
    const inv = findShellInvocations(s)[0];
    assert.deepEqual(
      inv.modelArgs?.args.map((a) => a.key),
      ['pretrained', 'dtype', 'dtype'],
    );
    assert.deepEqual(
      inv.modelArgs?.problems.map((p) => [p.kind, p.range.start]),
      [['duplicate-key', s.lastIndexOf('dtype')]],
    );
  });
});

describe('the shell model (#14)', () => {
  const argOf = (s: string, n = 0) =>
    Object.fromEntries(
      findShellInvocations(s)[n].modelArgs!.args.map((a) => [a.key, a.unresolved ? '?' : a.value] as const),
    );

  it('branches that disagree leave a value unknown; one branch alone is taken', () => {
    const s = [
      'if [ "$1" = big ]; then TP=4; else TP=2; fi',
      '[ -z "$M" ] && M=Qwen/Qwen2.5-7B-Instruct',
      'lm_eval --model vllm --model_args pretrained=$M,tensor_parallel_size=$TP',
    ].join('\n');
    assert.deepEqual(argOf(s), { pretrained: 'Qwen/Qwen2.5-7B-Instruct', tensor_parallel_size: '?' });
  });

  it('an unquoted expansion holding blanks is split into words, as bash does', () => {
    const s = 'OPTS="--batch_size 8 --num_fewshot 5"\nlm_eval --model vllm --model_args pretrained=a $OPTS';
    const inv = findShellInvocations(s)[0];
    assert.equal(inv.batchSize?.value, '8');
    assert.equal(inv.numFewshot?.value, '5');
    assert.equal(slice(s, inv.batchSize!.range), '8');
    assert.deepEqual(
      inv.modelArgs!.args.map((a) => a.key),
      ['pretrained'],
    );
    // Quoted, it stays one value of --model_args.
    const quoted = findShellInvocations('A="x=1 y=2"\nlm_eval --model vllm --model_args "$A"')[0];
    assert.deepEqual(
      quoted.modelArgs!.args.map((a) => [a.key, a.value]),
      [['x', '1 y=2']],
    );
  });

  it('a here-document fed to python is read as Python; echo … | bash as shell', () => {
    const s = [
      'python - <<EOF',
      'import lm_eval',
      'lm_eval.simple_evaluate(model="vllm", model_args="pretrained=a,max_model_len=1024", tasks=["gsm8k"])',
      'EOF',
      'echo "lm_eval --model vllm --model_args pretrained=b" | bash',
    ].join('\n');
    const invs = findShellInvocations(s);
    assert.deepEqual(
      invs.map((i) => i.modelArgs!.args[0].value),
      ['a', 'b'],
    );
    assert.equal(slice(s, invs[0].modelArgs!.args[1].range), 'max_model_len=1024');
  });

  it('set -a exports every assignment; unset and export -n remove; local is restored after the call', () => {
    const s = [
      'set -a',
      'VLLM_USE_V1=0',
      'set +a',
      'HF_HOME=/x',
      'f() { local VLLM_USE_V1=1; export VLLM_USE_V1; lm_eval --model vllm --model_args pretrained=in; }',
      'f',
      'lm_eval --model vllm --model_args pretrained=a',
      'unset VLLM_USE_V1',
      'lm_eval --model vllm --model_args pretrained=b',
    ].join('\n');
    const invs = findShellInvocations(s);
    assert.deepEqual(
      invs.map((i) => [i.modelArgs!.args[0].value, i.env.VLLM_USE_V1?.value, i.env.HF_HOME?.value]),
      [
        ['in', '1', undefined],
        ['a', '0', undefined],
        ['b', undefined, undefined],
      ],
    );
  });

  it('launches with no export between them share one environment object (#18: not copied per launch)', () => {
    const s =
      'export VLLM_USE_V1=1\nA=1\nlm_eval --model vllm --model_args pretrained=a\nB=2\nlm_eval --model vllm --model_args pretrained=b\nexport CUDA_VISIBLE_DEVICES=0\nlm_eval --model vllm --model_args pretrained=c';
    const [a, b, c] = findShellInvocations(s);
    assert.equal(a.env, b.env);
    assert.notEqual(b.env, c.env);
    assert.equal(c.env.VLLM_USE_V1?.value, '1');
  });

  it('main "$@": the script arguments are unknown inside the function, defaults apply', () => {
    const s = [
      'main() {',
      '  MODEL=${1:-Qwen/Qwen2.5-7B-Instruct}',
      '  lm_eval --model vllm --model_args pretrained=$MODEL,max_model_len=$2',
      '}',
      'main "$@"',
    ].join('\n');
    const inv = findShellInvocations(s)[0];
    assert.deepEqual(argOf(s), { pretrained: 'Qwen/Qwen2.5-7B-Instruct', max_model_len: '?' });
    assert.equal(slice(s, inv.range), 'main "$@"');
  });

  it('string surgery and lengths are unknown; ${V:+alt} is known when V is', () => {
    const s = 'M=org/model\nE=1\nlm_eval --model vllm --model_args pretrained=${M%/*},dtype=${E:+float16},x=${#M}';
    assert.deepEqual(argOf(s), { pretrained: '?', dtype: 'float16', x: '?' });
  });

  it('a function never called is read with unknown arguments', () => {
    const s = 'run() {\n  lm_eval --model vllm --model_args pretrained=$1,max_model_len=4096\n}';
    const inv = findShellInvocations(s)[0];
    assert.deepEqual(argOf(s), { pretrained: '?', max_model_len: 4096 });
    assert.equal(slice(s, inv.modelArgs!.args[1].range), 'max_model_len=4096');
  });
});
