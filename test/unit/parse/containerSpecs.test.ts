// Containers of Kubernetes manifests and compose files (QA D6): which are launches, the release
// each one's own image names, and edits that keep the YAML valid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findContainerSpecInvocations } from '../../../server/src/parse/containerSpecs';
import { parseDstackGpuString } from '../../../server/src/parse/dstackGpu';
import { insertModelArg, replaceModelArgValue } from '../../../server/src/parse/edits';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const pod = [
  'apiVersion: v1',
  'kind: Pod',
  'spec:',
  '  containers:',
  '    - name: proxy',
  '      image: routing-proxy',
  '      args: ["--port=8000"]',
  '    - name: vllm',
  '      image: vllm/vllm-openai:v0.8.2',
  '      args:',
  '        - "--model=Qwen/Qwen2.5-7B-Instruct"',
  '        - --max-model-len',
  '        - "4096"',
  '    - name: other',
  '      image: python:3.11',
  '      command: ["vllm", "serve", "Qwen/Qwen2.5-7B-Instruct"]',
  '',
].join('\n');

describe('container specs', () => {
  it("a vLLM image's args are the server's flags; each container takes its own image's release", () => {
    const a = analyzeDocument({ path: '/w/k8s/pod.yaml', text: pod }, testContext());
    assert.deepEqual(
      a.launches.map((l) => [l.isServe, l.args.get('model')?.value, l.vllm.text, l.vllm.source]),
      [
        [true, 'Qwen/Qwen2.5-7B-Instruct', '0.8.2', 'container-image'],
        [true, 'Qwen/Qwen2.5-7B-Instruct', a.launches[1].vllm.text, 'default'],
      ],
    );
    assert.equal(a.launches[0].args.get('max_model_len')?.value, 4096);
  });

  it('a flag is not appended as text to a YAML sequence; a value inside one is rewritten in place', () => {
    const [inv] = findContainerSpecInvocations(pod);
    const block = inv.modelArgs!;
    assert.equal(insertModelArg(block, 'enforce_eager', true), undefined);
    const len = block.args.find((x) => x.key === 'max_model_len')!;
    const edit = replaceModelArgValue(block, len, 2048)!;
    assert.equal(pod.slice(edit.range.start, edit.range.end), '4096');
  });

  it('compose: a command string is split into the server flags; other YAML gives nothing', () => {
    const compose =
      'services:\n  llm:\n    image: vllm/vllm-openai:v0.6.3\n    command: --model Qwen/Qwen2.5-7B-Instruct --max-model-len 4096\n  web:\n    image: nginx\n';
    const [inv, ...rest] = findContainerSpecInvocations(compose);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      inv.modelArgs?.args.map((x) => `${x.key}=${x.value}`),
      ['model=Qwen/Qwen2.5-7B-Instruct', 'max_model_len=4096'],
    );
    assert.ok(insertModelArg(inv.modelArgs!, 'enforce_eager', true)); // text of one scalar: appendable
    assert.deepEqual(
      findContainerSpecInvocations('services:\n  web:\n    image: nginx\n    command: vllm-exporter\n'),
      [],
    );
    assert.deepEqual(findContainerSpecInvocations('tasks:\n  - gsm8k\n'), []);
  });
});

describe('service specs that run shell commands (QA N5)', () => {
  const dstack = [
    'type: service',
    'python: "3.11"',
    'env:',
    '  - MODEL=NousResearch/Llama-2-7b-chat-hf',
    'port: 8000',
    'resources:',
    '  gpu: 24GB',
    'commands:',
    '  - pip install vllm',
    '  - vllm serve $MODEL --port 8000',
    'model:',
    '  format: openai',
    '  type: chat',
    '  name: NousResearch/Llama-2-7b-chat-hf',
    '',
  ].join('\n');
  const skypilot = [
    'resources:',
    '  accelerators: A100:1',
    'envs:',
    '  MODEL_NAME: Qwen/Qwen2.5-7B-Instruct',
    'setup: |',
    '  pip install vllm==0.6.3',
    'run: |',
    '  vllm serve $MODEL_NAME --max-model-len 4096',
    '',
  ].join('\n');
  it("dstack's commands are a script with env: the vllm serve, not an lm-eval --config run", () => {
    const a = analyzeDocument({ path: '/w/serve.dstack.yml', text: dstack }, testContext());
    assert.deepEqual(
      a.launches.map((l) => [l.isServe, l.backend, l.args.get('model')?.value]),
      [[true, 'vllm', 'NousResearch/Llama-2-7b-chat-hf']],
    );
  });
  it("SkyPilot's setup and run blocks: the install names the release", () => {
    const a = analyzeDocument({ path: '/w/sky.yaml', text: skypilot }, testContext());
    assert.deepEqual(
      a.launches.map((l) => [l.args.get('model')?.value, l.args.get('max_model_len')?.value, l.vllm.text]),
      [['Qwen/Qwen2.5-7B-Instruct', 4096, '0.6.3']],
    );
  });
  it('the same YAML in a Markdown fence', () => {
    const md = `# Deploy\n\n\`\`\`yaml\n${dstack}\`\`\`\n`;
    const a = analyzeDocument({ path: '/w/README.md', text: md }, testContext());
    assert.deepEqual(
      a.launches.map((l) => [l.isServe, l.args.get('model')?.value]),
      [[true, 'NousResearch/Llama-2-7b-chat-hf']],
    );
    assert.equal(findContainerSpecInvocations('type: service\nmodel: x\n').length, 0);
  });
});

describe("dstack's resources.gpu (QA3 F3)", () => {
  const spec = (gpu: string, extra = '') =>
    [
      'type: service',
      'env:',
      '  - MODEL_ID=meta-llama/Meta-Llama-3.1-8B-Instruct',
      'commands:',
      '  - vllm serve $MODEL_ID --max-model-len 4096 --tensor-parallel-size $DSTACK_GPUS_NUM',
      'resources:',
      `  gpu: ${gpu}`,
      extra,
      '',
    ].join('\n');
  const launch = (text: string) => analyzeDocument({ path: '/w/.dstack.yml', text }, testContext()).launches[0];

  it('reads the spec as dstack does: names, memory, count, vendor, ranges, the mapping form', () => {
    assert.deepEqual(parseDstackGpuString('H100:4'), { written: 'H100:4', names: ['H100'], count: { min: 4, max: 4 } });
    assert.deepEqual(parseDstackGpuString('24GB'), {
      written: '24GB',
      memoryGB: { min: 24, max: 24 },
      count: { min: 1, max: 1 },
    });
    assert.deepEqual(parseDstackGpuString('A100:80GB:2'), {
      written: 'A100:80GB:2',
      names: ['A100'],
      memoryGB: { min: 80, max: 80 },
      count: { min: 2, max: 2 },
    });
    assert.deepEqual(parseDstackGpuString('24GB..80GB:2..8')?.memoryGB, { min: 24, max: 80 });
    assert.deepEqual(parseDstackGpuString('24GB..80GB:2..8')?.count, { min: 2, max: 8 });
    assert.deepEqual(parseDstackGpuString('amd:MI300X:4')?.vendor, 'amd');
    assert.deepEqual(parseDstackGpuString('A10G,A100')?.names, ['A10G', 'A100']);
    assert.equal(parseDstackGpuString('H100::4'), undefined);
    assert.equal(parseDstackGpuString('H100:A100'), undefined);
  });

  it('a named GPU and count: the catalog GPU, and DSTACK_GPUS_NUM for the tensor-parallel size', () => {
    const l = launch(spec('H100:4'));
    assert.equal(l.gpu.spec.name, 'H100-80GB');
    assert.equal(l.gpu.source, 'service-spec');
    assert.deepEqual([l.gpu.count, l.gpu.countSource], [4, 'service-spec']);
    assert.equal(l.gpu.uncertain, undefined);
    assert.equal(l.env.DSTACK_GPUS_NUM, '4');
    assert.equal(l.estimate?.effective.tensorParallelSize, 4);
    assert.deepEqual(l.unknownArgs, []);
    assert.equal(launch(spec('A100:80GB:2')).gpu.spec.name, 'A100-80GB');
    assert.equal(launch(spec('A100:40GB:2')).gpu.spec.name, 'A100-40GB');
    assert.equal(launch(spec('{ name: L40S, count: 2 }')).gpu.spec.name, 'L40S');
    assert.equal(launch(spec('{ name: L40S, count: 2 }')).env.DSTACK_GPUS_NUM, '2');
    // Nodes multiply the total; a count range leaves it unknown.
    assert.equal(launch(spec('H100:8', 'nodes: 2')).env.DSTACK_GPUS_NUM, '16');
    assert.equal(launch(spec('H100:2..8')).env.DSTACK_GPUS_NUM, undefined);
  });

  it('a memory size: the smallest catalog GPU of about that size, said as assumed and uncertain', () => {
    const l = launch(spec('24GB'));
    assert.equal(l.gpu.spec.name, 'L4');
    assert.equal(l.gpu.count, 1);
    assert.equal(l.env.DSTACK_GPUS_NUM, '1');
    assert.match(l.gpu.notes?.[0] ?? '', /`24GB` in the dstack spec names a memory size.*the L4/);
    assert.match(l.gpu.uncertain ?? '', /any GPU of that memory/);
    assert.equal(launch(spec('80GB')).gpu.spec.totalBytes > 78 * 2 ** 30, true);
    assert.equal(launch(spec('24GB..80GB')).gpu.spec.name, 'L4');
  });

  it('a GPU the catalog does not have (MI300X): the default stands in, said so, uncertain', () => {
    const l = launch(spec('MI300X:4'));
    assert.equal(l.gpu.source, 'default');
    assert.equal(l.gpu.count, 4);
    assert.match(l.gpu.notes?.[0] ?? '', /`MI300X:4` in the dstack spec names a GPU that is not in the catalog/);
    assert.match(l.gpu.uncertain ?? '', /MI300X:4/);
    assert.equal(l.gpu.unknownName, undefined);
  });

  it('either of two GPUs: the smaller, uncertain', () => {
    const l = launch(spec('A10G,A100'));
    assert.equal(l.gpu.spec.name, 'A10G');
    assert.match(l.gpu.uncertain ?? '', /may also get the A100/);
  });
});
