import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATEST_VLLM_VERSION } from '../../../server/src/memory/version';
import { compareParsed, parseVersionText, resolveSpec } from '../../../server/src/project/versionSpec';
import type { SpecDialect, TrackedPackage } from '../../../server/src/project/types';

const latestVllm = `${LATEST_VLLM_VERSION.major}.${LATEST_VLLM_VERSION.minor}.${LATEST_VLLM_VERSION.patch}`;

function resolved(spec: string, dialect: SpecDialect = 'pep440', pkg: TrackedPackage = 'vllm') {
  const r = resolveSpec(spec, dialect, pkg);
  return r ? { version: r.version.text, range: r.range } : undefined;
}

describe('parseVersionText', () => {
  it('reads PEP 440 versions with pre, post, dev and local parts', () => {
    assert.deepEqual(parseVersionText('v0.6.3')?.release, [0, 6, 3]);
    assert.equal(parseVersionText('0.6.1.post1+cu118')?.post, 1);
    assert.equal(parseVersionText('0.6.1.post1+cu118')?.local, 'cu118');
    assert.deepEqual(parseVersionText('0.10.1rc2')?.pre, { phase: 'rc', n: 2 });
    assert.equal(parseVersionText('0.8.5.dev169+g1234')?.dev, 169);
    assert.equal(parseVersionText('banana'), undefined);
    assert.equal(parseVersionText('0.6.3; rm -rf'), undefined);
  });
  it('orders dev < pre < final < post', () => {
    const order = ['0.7.0.dev1', '0.7.0a1', '0.7.0rc1', '0.7.0', '0.7.0.post1', '0.7.1'];
    for (let i = 1; i < order.length; i++)
      assert.ok(compareParsed(parseVersionText(order[i - 1])!, parseVersionText(order[i])!) < 0, order[i]);
    assert.equal(compareParsed(parseVersionText('0.6')!, parseVersionText('0.6.0')!), 0);
  });
});

describe('resolveSpec: an exact pin is that version, a range its newest known release', () => {
  it('exact pins', () => {
    assert.deepEqual(resolved('==0.6.3'), { version: '0.6.3', range: false });
    assert.deepEqual(resolved('===0.6.3.post1'), { version: '0.6.3.post1', range: false });
    assert.deepEqual(resolved('0.8.5.post1', 'exact'), { version: '0.8.5.post1', range: false });
  });
  it('upper bounds pick the last release below them', () => {
    assert.deepEqual(resolved('<0.7'), { version: '0.6.6.post1', range: true });
    assert.deepEqual(resolved('>=0.5,<0.6'), { version: '0.5.5', range: true });
    assert.deepEqual(resolved('<=0.6.3'), { version: '0.6.3', range: true });
    assert.deepEqual(resolved('~=0.6.3'), { version: '0.6.6.post1', range: true });
    assert.deepEqual(resolved('==0.6.*'), { version: '0.6.6.post1', range: true });
    assert.deepEqual(resolved('>=0.4.2,<0.4.5', 'pep440', 'lm-eval'), { version: '0.4.4', range: true });
  });
  it('an open range is the newest modelled', () => {
    assert.deepEqual(resolved('>=0.6'), { version: latestVllm, range: true });
    // lm-eval's newest modelled is its main branch; pip installs the newest release
    assert.deepEqual(resolved('', 'pep440', 'lm-eval'), { version: '0.4.12', range: true });
  });
  it('a lower bound beyond every known release is that bound (the caller says it is newer than modelled)', () => {
    assert.deepEqual(resolved('>=9.1'), { version: '9.1', range: true });
  });
  it('Poetry carets and tildes', () => {
    assert.deepEqual(resolved('^0.4.1', 'poetry'), { version: '0.4.3', range: true });
    assert.deepEqual(resolved('~0.4.7', 'poetry', 'lm-eval'), { version: '0.4.12', range: true });
    assert.deepEqual(resolved('0.6.3', 'poetry'), { version: '0.6.3', range: false });
    assert.deepEqual(resolved('>=0.5 <0.6', 'poetry'), { version: '0.5.5', range: true });
    assert.deepEqual(resolved('^0.5 || ^0.7', 'poetry'), { version: '0.7.3', range: true });
  });
  it('conda match specs: a bare version is a prefix', () => {
    assert.deepEqual(resolved('0.7', 'conda'), { version: '0.7.3', range: true });
    assert.deepEqual(resolved('0.6.3', 'conda'), { version: '0.6.3', range: true });
    assert.deepEqual(resolved('==0.6.3', 'conda'), { version: '0.6.3', range: false });
  });
  it('nothing for text that is not a constraint, or one nothing satisfies', () => {
    assert.equal(resolved('==banana'), undefined);
    assert.equal(resolved('>=0.7,<0.6'), undefined);
    assert.equal(resolved('latest', 'exact'), undefined);
  });
});
