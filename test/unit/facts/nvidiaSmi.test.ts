import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nvidiaSmiDetector, parseNvidiaSmiCsv } from '../../../server/src/node/nvidiaSmi';
import { nodeFactProviders } from '../../../server/src/node/providers';
import { normalizeSettings } from '../../../server/src/shared/settings';

describe('nvidia-smi', () => {
  it('parses the CSV query output and skips junk', () => {
    const gpus = parseNvidiaSmiCsv(
      '0, NVIDIA A100-SXM4-80GB, 81920, 81000\n1, NVIDIA A100-SXM4-80GB, 81920, 100\nNo devices were found\n',
    );
    assert.equal(gpus.length, 2);
    assert.equal(gpus[1].freeBytes, 100 * 2 ** 20);
    assert.equal(gpus[0].name, 'NVIDIA A100-SXM4-80GB');
  });

  it('runs only the configured executable, and survives its absence', () => {
    assert.equal(nvidiaSmiDetector('')(), undefined);
    assert.equal(nvidiaSmiDetector(path.join(os.tmpdir(), 'no-such-nvidia-smi'))(), undefined);
    const fake = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smi-')), 'nvidia-smi');
    fs.writeFileSync(fake, '#!/bin/sh\necho "0, NVIDIA L4, 23034, 20000"\n', { mode: 0o755 });
    const gpus = nvidiaSmiDetector(fake)();
    assert.equal(gpus?.[0].name, 'NVIDIA L4');
  });
});

describe('trust', () => {
  it('an untrusted workspace never runs the configured nvidia-smi', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smi-trust-'));
    const marker = path.join(dir, 'ran');
    const fake = path.join(dir, 'nvidia-smi');
    fs.writeFileSync(fake, `#!/bin/sh\ntouch ${marker}\necho "0, NVIDIA L4, 23034, 20000"\n`, { mode: 0o755 });
    const settings = normalizeSettings({ nvidiaSmiPath: fake, lmEvalTasksDir: dir });
    assert.equal(nodeFactProviders({ settings, workspaceRoots: [], trusted: false }).detectGpus(), undefined);
    assert.equal(fs.existsSync(marker), false, 'nothing was executed');
    assert.equal(
      nodeFactProviders({ settings, workspaceRoots: [], trusted: true }).detectGpus()?.[0].name,
      'NVIDIA L4',
    );
    assert.equal(fs.existsSync(marker), true);
  });
});
