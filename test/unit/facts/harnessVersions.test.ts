// Version-dependent task-config rules follow the lm-eval release in force for each file, with the
// ranges read from lm-eval's tagged source (docs/task-config-rules.md, "Version ranges").
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { projectFactsWalker } from '../../../server/src/node/projectFacts';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { harnessAtLeast, harnessRules } from '../../../server/src/taskconfig/harnessVersion';
import { fixture, readFixture } from '../../helpers/paths';
import { testContext, testProviders } from '../../helpers/context';

const TASK = [
  'task: vr_task',
  'dataset_path: allenai/ai2_arc',
  'dataset_name: ARC-Easy',
  'test_split: test',
  'doc_to_text: "{{question}}"',
  'doc_to_target: "{{answerKey}}"',
].join('\n');

function findings(yaml: string, harness?: string) {
  const text = harness ? `# lm-eval-lens: harness=${harness}\n${yaml}\n` : `${yaml}\n`;
  const a = analyzeDocument({ path: '/x/tasks/vr.yaml', text }, testContext());
  assert.equal(a.role, 'task-config');
  return a.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message }));
}

describe('harness releases', () => {
  it('parse four-part releases and keep ranges', () => {
    const r = harnessRules('0.4.9.1');
    assert.ok(harnessAtLeast(r, '0.4.9.1') && !harnessAtLeast(r, '0.4.9.2') && harnessAtLeast(r, '0.4.9'));
    assert.equal(harnessRules('0.4.11').legacy, true);
    assert.equal(harnessRules(undefined).legacy, false);
    assert.deepEqual(
      ['0.4.3', '0.4.4', '0.4.5', '0.4.11', '0.4.12', undefined].map((v) => harnessRules(v).groupInTaskConfig),
      ['field', 'deprecated', 'type-error', 'type-error', 'read-as-group', 'read-as-group'],
    );
    assert.ok(
      !harnessRules('0.4.7').taskFields.has('gen_prefix') && harnessRules('0.4.8').taskFields.has('gen_prefix'),
    );
    assert.ok(
      harnessRules('0.4.3').taskFields.has('group_alias') && !harnessRules('0.4.4').taskFields.has('group_alias'),
    );
    assert.deepEqual(
      ['0.4.9', '0.4.10'].map((v) => harnessRules(v).strictFewshotConfig),
      [false, true],
    );
  });
});

describe('legacy-group-task by release', () => {
  const yaml = `group: vr_collection\n${TASK}`;
  const legacy = (h?: string) => findings(yaml, h).filter((f) => f.code === 'legacy-group-task');
  it('v0.4.3: a field (info, no fix: `tag` does not exist yet)', () => {
    assert.deepEqual(
      legacy('0.4.3').map((f) => f.severity),
      ['info'],
    );
  });
  it('v0.4.4: deprecated (warning); next to `tag` a ValueError', () => {
    assert.deepEqual(
      legacy('0.4.4').map((f) => f.severity),
      ['warning'],
    );
    const both = findings(`tag: t\n${yaml}`, '0.4.4').filter((f) => f.code === 'legacy-group-task');
    assert.match(both[0].message, /ValueError/);
    assert.equal(both[0].severity, 'error');
  });
  it('v0.4.5-v0.4.11: TypeError; v0.4.12+: read as a group', () => {
    for (const h of ['0.4.5', '0.4.9', '0.4.11']) assert.match(legacy(h)[0].message, /TypeError/, h);
    assert.match(legacy(undefined)[0].message, /never registers task/);
    assert.match(legacy('0.4.12')[0].message, /never registers task/);
  });
});

describe('unknown-key by release', () => {
  const unknown = (yaml: string, h?: string) => findings(yaml, h).filter((f) => f.code === 'unknown-key');
  it('a key TaskConfig gained later is a TypeError in older releases', () => {
    assert.deepEqual(unknown(`${TASK}\ngen_prefix: "A:"`, '0.4.8'), []);
    const old = unknown(`${TASK}\ngen_prefix: "A:"`, '0.4.4');
    assert.equal(old.length, 1);
    assert.match(old[0].message, /task key from lm-eval v0\.4\.8; lm-eval 0\.4\.4 raises/);
    assert.match(unknown(`${TASK}\ntag: x`, '0.4.3')[0].message, /from lm-eval v0\.4\.4/);
  });
  it('a key TaskConfig lost is fine before and a TypeError after', () => {
    assert.deepEqual(unknown(`${TASK}\ngroup_alias: X`, '0.4.3'), []);
    assert.match(unknown(`${TASK}\ngroup_alias: X`, '0.4.4')[0].message, /removed from TaskConfig in lm-eval v0\.4\.4/);
  });
  it('fewshot_config keys: ignored before v0.4.10, TypeError from it', () => {
    const fewshot = `${TASK}\nfewshot_config:\n  sampler: first_n\n  shots: 3`;
    assert.deepEqual(
      unknown(fewshot, '0.4.9').map((f) => f.severity),
      ['warning'],
    );
    assert.deepEqual(
      unknown(fewshot, '0.4.10').map((f) => f.severity),
      ['error'],
    );
  });
});

describe('ignored-model-arg by release', () => {
  const launch = (h: string) =>
    analyzeDocument(
      {
        path: '/x/run.py',
        text: `# lm-eval-lens: harness=${h}\nimport lm_eval\nlm_eval.simple_evaluate(model="vllm", model_args="pretrained=meta-llama/Meta-Llama-3-8B,device=cuda:1,swap_space=8", tasks=["gsm8k"])\n`,
      },
      testContext(),
    ).findings.filter((f) => f.code === 'ignored-model-arg');
  it('device from v0.4.9.1, swap_space from v0.4.12', () => {
    assert.deepEqual(
      launch('0.4.9').map((f) => f.message.split(' ')[0]),
      [],
    );
    assert.deepEqual(
      launch('0.4.9.1').map((f) => f.message.split(' ')[0]),
      ['device'],
    );
    assert.deepEqual(
      launch('0.4.12')
        .map((f) => f.message.split(' ')[0])
        .sort(),
      ['device', 'swap_space'],
    );
  });
});

describe('a task folder under a repository pinning lm_eval==0.4.4', () => {
  it("is checked with 0.4.4's rules, and the source is shown", () => {
    const root = fixture('projects', 'pinned-044');
    const file = path.join(root, 'tasks', 'legacy_qa.yaml');
    const walker = projectFactsWalker({ fs: nodeTaskFileSystem(), roots: [root], env: () => undefined });
    const ctx = testContext();
    ctx.providers = { ...testProviders(), projectFacts: (f) => walker.factsFor(f) };
    const a = analyzeDocument(
      { path: file, text: readFixture('projects', 'pinned-044', 'tasks', 'legacy_qa.yaml') },
      ctx,
    );
    assert.equal(a.harness?.label, 'lm-eval 0.4.4 from requirements.txt:1');
    const byCode = new Map(a.findings.map((f) => [f.code, f]));
    assert.equal(byCode.get('legacy-group-task')?.severity, 'warning');
    assert.match(
      byCode.get('legacy-group-task')!.message,
      /lm-eval 0\.4\.4 still reads this as task `legacy_qa` \(a deprecated use of `group`/,
    );
    assert.equal(byCode.get('unknown-key')?.severity, 'warning', 'fewshot_config is a plain dict in 0.4.4');
  });
});
