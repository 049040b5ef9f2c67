// Containers of Kubernetes manifests and compose files (QA D6): which are launches, the release
// each one's own image names, and edits that keep the YAML valid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findContainerSpecInvocations } from '../../../server/src/parse/containerSpecs';
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
