// The editor's path (analyzeDocument with the real providers) for a project that vendors a fork of
// lm-eval: the fork's own TaskConfig fields are its task keys; and an editable install's checkout is
// where its source is read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { installedPackagesIn } from '../../../server/src/node/installedPackages';
import { nodeFactProviders } from '../../../server/src/node/providers';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { normalizeSettings } from '../../../server/src/shared/settings';
import { fixture } from '../../helpers/paths';
import { memoryFs } from '../taskconfig/memfs';

const project = fixture('projects', 'vendored-fork');

describe("a vendored fork's task keys in the editor", () => {
  const settings = normalizeSettings({});
  const providers = nodeFactProviders({ settings, workspaceRoots: [project], trusted: false });
  const ctx = { settings, providers, taskConfig: { fs: nodeTaskFileSystem() } };
  const analyze = (name: string) => {
    const file = path.join(project, 'tasks', name);
    return analyzeDocument({ path: file, text: fs.readFileSync(file, 'utf8') }, ctx);
  };

  it("accepts the fork's own keys and names its TaskConfig for a key it lacks", () => {
    const custom = analyze('custom_style.yaml');
    assert.equal(custom.harness?.source, 'vendored');
    assert.deepEqual(
      custom.findings.filter((f) => f.code === 'unknown-key').map((f) => f.message),
      [],
    );
    const typo = analyze('typo.yaml').findings.filter((f) => f.code === 'unknown-key');
    assert.deepEqual(
      typo.map((f) => f.severity),
      ['error', 'error'],
    );
    assert.match(
      typo[0].message,
      /lm-evaluation-harness\/lm_eval\/api\/task\.py:7\) has no field `custom_prompt_styel`/,
    );
    assert.match(typo[0].message, /Did you mean `custom_prompt_style`\?/);
    // A field declared with field(init=False) is not a keyword argument of TaskConfig.
    assert.match(typo[1].message, /no field `_resolved_prompt`/);
  });

  it('a `# lm-eval-lens: harness=` directive judges with that release instead of the fork', () => {
    const file = path.join(project, 'tasks', 'custom_style.yaml');
    const text = `# lm-eval-lens: harness=0.4.4\n${fs.readFileSync(file, 'utf8')}`;
    const found = analyzeDocument({ path: file, text }, ctx).findings.filter((f) => f.code === 'unknown-key');
    assert.deepEqual(
      found.map((f) => f.severity),
      ['error', 'error'],
    );
  });
});

describe('the source of an installed lm-eval', () => {
  const site = path.resolve('/env/lib/python3.11/site-packages');
  const meta = 'Metadata-Version: 2.1\nName: lm_eval\nVersion: 0.4.4\n';
  it('site-packages when lm_eval is there; an editable install: the checkout direct_url.json names', () => {
    const dist = path.join(site, 'lm_eval-0.4.4.dist-info');
    const inSite = memoryFs(
      { [path.join(dist, 'METADATA')]: meta, [path.join(site, 'lm_eval', '__init__.py')]: '' },
      undefined,
    );
    assert.equal(installedPackagesIn(inSite, path.resolve('/env'))[0]?.sourceRoot, site);
    const checkout = path.resolve('/src/my-lm-eval');
    const editable = memoryFs(
      {
        [path.join(dist, 'METADATA')]: meta,
        [path.join(dist, 'direct_url.json')]: JSON.stringify({
          url: new URL(`file://${checkout.split(path.sep).join('/')}`).href,
          dir_info: { editable: true },
        }),
        [path.join(checkout, 'lm_eval', '__init__.py')]: '',
      },
      undefined,
    );
    assert.equal(installedPackagesIn(editable, path.resolve('/env'))[0]?.sourceRoot, checkout);
    const neither = memoryFs({ [path.join(dist, 'METADATA')]: meta }, undefined);
    assert.equal(installedPackagesIn(neither, path.resolve('/env'))[0]?.sourceRoot, undefined);
  });
});
