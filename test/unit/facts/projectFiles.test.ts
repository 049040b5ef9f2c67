// The pure parsers of project files: each fixture under test/fixtures/projects is one source.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { condaEnvironmentPins } from '../../../server/src/project/condaEnvironment';
import { vllmImagePins } from '../../../server/src/project/containerImages';
import { parseDistFolderName, parseDistMetadata } from '../../../server/src/project/distInfo';
import { pipfileLockPins, tomlLockPins } from '../../../server/src/project/lockFiles';
import { pyprojectPins } from '../../../server/src/project/pyproject';
import { parseRequirement } from '../../../server/src/project/requirement';
import { parseRequirementsTxt } from '../../../server/src/project/requirementsTxt';
import { scriptInstallPins } from '../../../server/src/project/scriptInstalls';
import { setupCfgPins, setupPyPins } from '../../../server/src/project/setupFiles';
import type { PackagePin } from '../../../server/src/project/types';
import { harnessCheckoutVersion } from '../../../server/src/project/vendoredHarness';
import { readFixture } from '../../helpers/paths';

const brief = (pins: PackagePin[]) => pins.map((p) => `${p.package} ${p.spec} (${p.dialect}) :${p.line}`);

describe('parseRequirement', () => {
  it('reads names, extras, markers and URL forms', () => {
    assert.deepEqual(parseRequirement('vllm==0.6.3'), { package: 'vllm', spec: '==0.6.3', dialect: 'pep440' });
    assert.deepEqual(parseRequirement('LM_Eval[vllm] >= 0.4.2, < 0.5 ; python_version > "3.8"'), {
      package: 'lm-eval',
      spec: '>=0.4.2,<0.5',
      dialect: 'pep440',
    });
    assert.deepEqual(parseRequirement('vllm (>=0.6)'), { package: 'vllm', spec: '>=0.6', dialect: 'pep440' });
    assert.deepEqual(
      parseRequirement(
        'vllm @ https://github.com/vllm-project/vllm/releases/download/v0.6.1.post1/vllm-0.6.1.post1+cu118-cp310-cp310-manylinux1_x86_64.whl',
      ),
      { package: 'vllm', spec: '0.6.1.post1+cu118', dialect: 'exact' },
    );
    assert.deepEqual(
      parseRequirement('git+https://github.com/EleutherAI/lm-evaluation-harness.git@v0.4.4#egg=lm_eval'),
      {
        package: 'lm-eval',
        spec: '0.4.4',
        dialect: 'exact',
      },
    );
    assert.equal(parseRequirement('git+https://github.com/EleutherAI/lm-evaluation-harness.git@main'), undefined);
    assert.equal(parseRequirement('torch==2.4.0'), undefined);
    assert.equal(parseRequirement('vllm-flash-attn==2.6.1'), undefined);
  });
});

describe('project files', () => {
  it('requirements.txt: pins, -r includes, comments, continuations, hashes', () => {
    const top = parseRequirementsTxt(readFixture('projects', 'requirements-include', 'requirements.txt'));
    assert.deepEqual(top.includes, [{ path: 'requirements/base.txt', line: 2, constraint: false }]);
    assert.deepEqual(top.pins, []);
    const base = parseRequirementsTxt(readFixture('projects', 'requirements-include', 'requirements', 'base.txt'));
    assert.deepEqual(brief(base.pins), ['vllm ~=0.6.3 (pep440) :2', 'lm-eval >=0.4.2,<0.4.5 (pep440) :3']);
    const odd = parseRequirementsTxt(
      '-c constraints.txt\nvllm==0.5.4 \\\n  --hash=sha256:abc\n-e git+https://github.com/EleutherAI/lm-evaluation-harness@v0.4.2#egg=lm_eval\n',
    );
    assert.deepEqual(odd.includes, [{ path: 'constraints.txt', line: 1, constraint: true }]);
    assert.deepEqual(brief(odd.pins), ['vllm ==0.5.4 (pep440) :2', 'lm-eval 0.4.2 (exact) :4']);
  });
  it('pyproject.toml: PEP 621 dependencies and optional-dependencies', () => {
    const pins = pyprojectPins(readFixture('projects', 'pyproject-pep621', 'pyproject.toml'));
    assert.deepEqual(brief(pins), ['lm-eval ==0.4.3 (pep440) :6', 'vllm >=0.5.0,<0.5.5 (pep440) :10']);
  });
  it('pyproject.toml: Poetry dependencies and groups', () => {
    const pins = pyprojectPins(readFixture('projects', 'pyproject-poetry', 'pyproject.toml'));
    assert.deepEqual(brief(pins), ['vllm ^0.4.1 (poetry) :7', 'lm-eval ~0.4.7 (poetry) :10']);
  });
  it('pyproject.toml that is not TOML gives no pins', () => {
    assert.deepEqual(pyprojectPins('[project\ndependencies = ["vllm==0.6.3"]'), []);
  });
  it('uv.lock and poetry.lock: every locked version, on its line', () => {
    assert.deepEqual(brief(tomlLockPins(readFixture('projects', 'uv-lock', 'uv.lock'), 'uv.lock')), [
      'lm-eval 0.4.5 (exact) :11',
      'vllm 0.8.5.post1 (exact) :16',
    ]);
    assert.deepEqual(brief(tomlLockPins(readFixture('projects', 'poetry-lock', 'poetry.lock'), 'poetry.lock')), [
      'vllm 0.6.4.post1 (exact) :11',
    ]);
  });
  it('Pipfile.lock', () => {
    assert.deepEqual(brief(pipfileLockPins(readFixture('projects', 'pipfile-lock', 'Pipfile.lock'))), [
      'lm-eval ==0.4.2 (pep440) :9',
      'vllm ==0.5.3.post1 (pep440) :14',
    ]);
    assert.deepEqual(pipfileLockPins('{not json'), []);
  });
  it('environment.yml: conda specs and the pip list', () => {
    assert.deepEqual(brief(condaEnvironmentPins(readFixture('projects', 'conda-env', 'environment.yml'))), [
      'vllm 0.7 (conda) :6',
      'lm-eval ==0.4.8 (pep440) :9',
    ]);
  });
  it('setup.py and setup.cfg install_requires / extras', () => {
    assert.deepEqual(brief(setupPyPins(readFixture('projects', 'setup-py', 'setup.py'))), [
      'vllm ==0.4.2 (pep440) :7',
      'lm-eval >=0.4.0,<0.4.2 (pep440) :9',
    ]);
    assert.deepEqual(brief(setupCfgPins(readFixture('projects', 'setup-cfg', 'setup.cfg'))), [
      'vllm >=0.5.1,<0.6 (pep440) :7',
      'lm-eval ==0.4.1 (pep440) :11',
    ]);
  });
  it('dist-info METADATA and folder names', () => {
    const meta = readFixture(
      'projects',
      'layered',
      '.venv',
      'lib',
      'python3.10',
      'site-packages',
      'vllm-0.7.3.dist-info',
      'METADATA',
    );
    assert.deepEqual(parseDistMetadata(meta), { package: 'vllm', version: '0.7.3', line: 3 });
    assert.deepEqual(parseDistFolderName('lm_eval-0.4.1-py3.10.egg-info'), {
      package: 'lm-eval',
      version: '0.4.1',
      line: 0,
    });
    assert.equal(parseDistMetadata('Name: torch\nVersion: 2.4.0\n'), undefined);
  });
  it("vLLM images of other publishers named after vLLM: the tag's leading release, rocm/vllm's inner one (QA D5)", () => {
    const text = [
      'docker run --name vllm vastai/vllm:v0.7.0-cuda-12.1-pytorch-2.5.1-py312 --model x',
      'image: rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521',
      '  image: registry.example.com:5000/team/vllm-openai:v0.9.1',
      'docker run -v /data/vllm:/models myorg/vllm-bench:1.2 --model x',
    ].join('\n');
    assert.deepEqual(
      vllmImagePins(text).map((p) => `${p.spec} ${p.written} :${p.line}`),
      [
        '0.7.0 vastai/vllm:v0.7.0-cuda-12.1-pytorch-2.5.1-py312 :1',
        '0.8.5 rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521 :2',
        '0.9.1 registry.example.com:5000/team/vllm-openai:v0.9.1 :3',
      ],
    );
  });
  it('vLLM images: docker run, srun --container-image, apptainer, compose', () => {
    const text = [
      'docker run --gpus all vllm/vllm-openai:v0.6.3 --model x',
      'srun --container-image=vllm/vllm-openai:v0.7.3.post1 lm_eval --model vllm',
      'apptainer exec docker://vllm/vllm-openai:latest lm_eval',
      'image: docker.io/vllm/vllm-openai:v0.9.2-cu126',
      'FROM python:3.11',
    ].join('\n');
    assert.deepEqual(
      vllmImagePins(text).map((p) => `${p.spec || '(newest)'} ${p.written} :${p.line}`),
      [
        '0.6.3 vllm/vllm-openai:v0.6.3 :1',
        '0.7.3.post1 vllm/vllm-openai:v0.7.3.post1 :2',
        '(newest) vllm/vllm-openai:latest :3',
        '0.9.2 vllm/vllm-openai:v0.9.2-cu126 :4',
      ],
    );
    assert.deepEqual(brief(vllmImagePins(readFixture('projects', 'layered', 'serve', 'docker-compose.yml'))), [
      'vllm 0.8.5 (exact) :3',
    ]);
  });
  it('installs in the script: pip, uv, uv run --with, conda, notebooks; not in comments', () => {
    const text = [
      'pip install -U "vllm==0.6.3" lm_eval[vllm]==0.4.4',
      '# pip install vllm==0.5.0',
      'uv pip install vllm>=0.7,<0.8',
      'uv run --with vllm==0.8.5 --with "lm-eval==0.4.8" lm_eval --model vllm',
      'conda install -c conda-forge vllm=0.9',
      '   "!pip install vllm==0.10.1\\n",',
      'subprocess.run("python -m pip install vllm==0.4.3", shell=True)',
    ].join('\n');
    assert.deepEqual(
      scriptInstallPins(text).map((p) => `${p.package} ${p.spec} :${p.line}`),
      [
        'vllm ==0.6.3 :1',
        'lm-eval ==0.4.4 :1',
        'vllm >=0.7,<0.8 :3',
        'vllm ==0.8.5 :4',
        'lm-eval ==0.4.8 :4',
        'vllm 0.9 :5',
        'vllm ==0.10.1 :6',
        'vllm ==0.4.3 :7',
      ],
    );
  });
  it('every install of a line: `pip install -U pip && pip install vllm==0.6.3`, Dockerfile RUN lines', () => {
    assert.deepEqual(
      scriptInstallPins('pip install --upgrade pip && pip install vllm==0.6.3\n').map(
        (p) => `${p.package} ${p.spec} :${p.line} ${p.written}`,
      ),
      ['vllm ==0.6.3 :1 pip install vllm==0.6.3'],
    );
    const dockerfile = [
      'FROM python:3.10',
      'RUN pip install -U pip; pip install "lm_eval==0.4.4" | tee log && uv pip install vllm==0.6.3 # then pip install vllm==0.9',
      'RUN true || conda install vllm=0.5.4',
    ].join('\n');
    assert.deepEqual(
      scriptInstallPins(dockerfile).map((p) => `${p.package} ${p.spec} :${p.line}`),
      ['lm-eval ==0.4.4 :2', 'vllm ==0.6.3 :2', 'vllm 0.5.4 :3'],
    );
  });
  it('installs continued over lines with `\\`: each pin on its own line (shell, Dockerfile, notebook JSON)', () => {
    assert.deepEqual(
      scriptInstallPins(
        '#!/bin/bash\npip install \\\n    vllm==0.6.3 \\  \n    lm-eval==0.4.4\nlm_eval --model vllm\n',
      ).map((p) => `${p.package} ${p.spec} :${p.line} ${p.written}`),
      ['vllm ==0.6.3 :3 pip install vllm==0.6.3', 'lm-eval ==0.4.4 :4 pip install lm-eval==0.4.4'],
    );
    assert.deepEqual(
      scriptInstallPins(
        'RUN pip install --no-cache-dir \\\r\n  "vllm==0.7.2" \\\r\n  && pip install lm_eval==0.4.5\r\n',
      ).map((p) => `${p.package} ${p.spec} :${p.line}`),
      ['vllm ==0.7.2 :2', 'lm-eval ==0.4.5 :3'],
    );
    // a notebook cell `!pip install \` / `    vllm==0.6.3` as the .ipynb JSON holds it
    const notebook = [
      '   "source": [',
      '    "!pip install \\\\\\n",',
      '    "    vllm==0.6.3\\n",',
      '    "import vllm"',
    ].join('\n');
    assert.deepEqual(
      scriptInstallPins(notebook).map((p) => `${p.package} ${p.spec} :${p.line}`),
      ['vllm ==0.6.3 :3'],
    );
    // no continuation: the next line is another command
    assert.deepEqual(scriptInstallPins('pip install\nvllm==0.6.3\n'), []);
  });
  it("installs through the script's own variables: the last literal assignment before the install (QA D7)", () => {
    const text = [
      "VLLM_VERSION='0.1.4'",
      'export LM_EVAL=0.4.3',
      'pip install "vllm==$VLLM_VERSION" "lm_eval==${LM_EVAL}"',
      'VLLM_VERSION=0.4.2 # moved on',
      'pip install vllm==$VLLM_VERSION',
      'pip install "vllm==${UNSET_VERSION:-0.5.4}"',
      'V=$(cat version.txt)',
      'pip install vllm==$V vllm==$NEVER_SET',
    ].join('\n');
    assert.deepEqual(
      scriptInstallPins(text).map((p) => `${p.package} ${p.spec} :${p.line} ${p.written}`),
      [
        'vllm ==0.1.4 :3 pip install vllm==$VLLM_VERSION with VLLM_VERSION=0.1.4',
        'lm-eval ==0.4.3 :3 pip install lm_eval==${LM_EVAL} with LM_EVAL=0.4.3',
        'vllm ==0.4.2 :5 pip install vllm==$VLLM_VERSION with VLLM_VERSION=0.4.2',
        'vllm ==0.5.4 :6 pip install vllm==0.5.4',
      ],
    );
  });
  it('a vendored lm-eval: pyproject.toml, __init__.py, setup.py; 1.0.0 is what v0.4.0 shipped', () => {
    assert.deepEqual(harnessCheckoutVersion({ pyprojectToml: '[project]\nname = "lm_eval"\nversion = "0.4.4"\n' }), {
      version: '0.4.4',
      file: 'pyproject.toml',
      line: 3,
    });
    assert.equal(
      harnessCheckoutVersion({
        pyprojectToml: readFixture('projects', 'vendored', 'lm-evaluation-harness', 'pyproject.toml'),
      })?.version,
      '0.4.0',
    );
    assert.deepEqual(harnessCheckoutVersion({ initPy: 'import os\n__version__ = "0.4.9"\n' }), {
      version: '0.4.9',
      file: 'lm_eval/__init__.py',
      line: 2,
    });
    assert.equal(
      harnessCheckoutVersion({ setupPy: 'setuptools.setup(\n    name="lm_eval",\n    version="0.3.0",\n)' })?.version,
      '0.3.0',
    );
    assert.equal(harnessCheckoutVersion({ pyprojectToml: '[project]\nname = "other"\nversion = "1.0"\n' }), undefined);
  });
});
