// The model_args injection grammar: every regex compiles (Oniguruma, as VS Code runs it, and JS),
// the manifest contributes it, and tokenizing samples through vscode-textmate gives the scopes a
// theme colours. Host grammars here are minimal stand-ins; the Playwright smoke test checks the
// real ones in VS Code, and the last test uses code-server's bundled grammars when they are installed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { repoRoot } from '../../helpers/paths';

const GRAMMAR_FILE = path.join(repoRoot, 'syntaxes', 'lm-eval-model-args.injection.tmLanguage.json');
const INJECTION_SCOPE = 'lm-eval.model-args.injection';
const HOSTS = ['source.shell', 'source.python', 'source.yaml', 'text.html.markdown'];

interface RawRule {
  match?: string;
  begin?: string;
  end?: string;
  patterns?: RawRule[];
  repository?: Record<string, RawRule>;
}
const grammarJson = JSON.parse(fs.readFileSync(GRAMMAR_FILE, 'utf8')) as RawRule & {
  scopeName: string;
  injectionSelector: string;
};

function regexesOf(
  rule: RawRule,
  where: string,
  out: { where: string; source: string }[] = [],
): { where: string; source: string }[] {
  for (const key of ['match', 'begin', 'end'] as const) {
    const source = rule[key];
    if (source !== undefined) out.push({ where: `${where}.${key}`, source });
  }
  for (const [i, p] of (rule.patterns ?? []).entries()) regexesOf(p, `${where}.patterns[${i}]`, out);
  for (const [name, r] of Object.entries(rule.repository ?? {})) regexesOf(r, `${where}#${name}`, out);
  return out;
}

let onigReady: Promise<textmate.IOnigLib> | undefined;
function onigLib(): Promise<textmate.IOnigLib> {
  onigReady ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigReady;
}

/** Minimal host grammars: enough structure (comments, strings, a YAML key) to exercise the selector. */
const STAND_INS: Record<string, object> = {
  'source.shell': {
    scopeName: 'source.shell',
    patterns: [
      { match: '#.*$', name: 'comment.line.number-sign.shell' },
      { begin: '"', end: '"', name: 'string.quoted.double.shell' },
      { match: '(?<=\\s)-{1,2}[\\w-]+', name: 'constant.other.option.shell' },
    ],
  },
  'source.python': {
    scopeName: 'source.python',
    patterns: [
      { match: '#.*$', name: 'comment.line.number-sign.python' },
      { begin: '"', end: '"', name: 'string.quoted.double.python' },
    ],
  },
  'source.yaml': {
    scopeName: 'source.yaml',
    patterns: [
      { match: '#.*$', name: 'comment.line.number-sign.yaml' },
      { match: '^\\s*([\\w.-]+)(:)', captures: { '1': { name: 'entity.name.tag.yaml' } } },
      { match: '!\\w+', name: 'storage.type.tag-handle.yaml' },
    ],
  },
  'text.html.markdown': {
    scopeName: 'text.html.markdown',
    patterns: [{ begin: '^```', end: '^```', name: 'markup.fenced_code.block.markdown' }],
  },
};

async function registry(hostGrammar: (scope: string) => object | undefined): Promise<textmate.Registry> {
  const lib = await onigLib();
  return new textmate.Registry({
    onigLib: Promise.resolve(lib),
    loadGrammar: async (scope) => {
      if (scope === INJECTION_SCOPE)
        return textmate.parseRawGrammar(fs.readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE);
      const host = hostGrammar(scope);
      return host ? textmate.parseRawGrammar(JSON.stringify(host), `${scope}.json`) : null;
    },
    getInjections: (scope) => (HOSTS.includes(scope) ? [INJECTION_SCOPE] : undefined),
  });
}

type Token = { text: string; scopes: string[] };
async function tokenize(reg: textmate.Registry, scope: string, text: string): Promise<Token[]> {
  const grammar = await reg.loadGrammar(scope);
  assert.ok(grammar, `grammar ${scope}`);
  let stack = textmate.INITIAL;
  const tokens: Token[] = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) tokens.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
  }
  return tokens;
}

/** The lm-eval scope (first two dotted parts) of each highlighted token, in order: `pretrained:variable.parameter`. */
function lensTokens(tokens: Token[]): string[] {
  return tokens
    .map((t) => {
      const s = [...t.scopes].reverse().find((x) => x.endsWith('.lm-eval') && !x.startsWith('meta.'));
      return s ? `${t.text.trim()}:${s.split('.').slice(0, 2).join('.')}` : undefined;
    })
    .filter((x): x is string => x !== undefined);
}

test('every regex in the grammar compiles in Oniguruma and as a JS RegExp', async () => {
  await onigLib();
  const all = regexesOf(grammarJson, 'grammar');
  assert.ok(all.length >= 15, `found ${all.length} regexes`);
  for (const { where, source: raw } of all) {
    // vscode-textmate replaces an end pattern's \3-style back-reference with the (escaped) text the
    // begin capture matched before compiling it; a quote stands in for that text here
    const source = where.endsWith('.end') ? raw.replace(/\\(\d)/g, '"') : raw;
    assert.doesNotThrow(() => new oniguruma.OnigScanner([source]), `${where}: ${source}`);
    assert.doesNotThrow(() => new RegExp(source), `${where}: ${source}`);
  }
});

test('the manifest contributes the grammar as an injection into shell, Python, YAML and Markdown', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
  };
  const entry = manifest.contributes.grammars?.find((g) => g.scopeName === INJECTION_SCOPE);
  assert.ok(entry, 'contributes.grammars has the injection');
  assert.equal(path.resolve(repoRoot, entry.path), GRAMMAR_FILE);
  assert.deepEqual([...(entry.injectTo ?? [])].sort(), [...HOSTS].sort());
  assert.equal(grammarJson.scopeName, INJECTION_SCOPE);
  for (const host of HOSTS)
    assert.match(grammarJson.injectionSelector, new RegExp(`L:${host.replace(/\./g, '\\.')} -comment`));
});

test('shell: keys, =, values and commas after --model_args, -a and model_args=, quoted or not', async () => {
  const reg = await registry((s) => STAND_INS[s]);
  const toks = lensTokens(
    await tokenize(
      reg,
      'source.shell',
      [
        'lm_eval --model vllm \\',
        '  --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6 \\',
        '  --tasks mmlu',
      ].join('\n'),
    ),
  );
  assert.deepEqual(toks, [
    '--model_args:constant.other',
    'pretrained:variable.parameter',
    '=:keyword.operator',
    'Qwen/Qwen1.5-4B:string.unquoted',
    ',:punctuation.separator',
    'dtype:variable.parameter',
    '=:keyword.operator',
    'float:string.unquoted',
    ',:punctuation.separator',
    'gpu_memory_utilization:variable.parameter',
    '=:keyword.operator',
    '0.6:constant.numeric',
  ]);
  const quoted = lensTokens(
    await tokenize(reg, 'source.shell', 'lm_eval -a "pretrained=gpt2, trust_remote_code=True" --tasks x'),
  );
  assert.deepEqual(quoted, [
    '-a:constant.other',
    '":punctuation.definition',
    'pretrained:variable.parameter',
    '=:keyword.operator',
    'gpt2:string.unquoted',
    ',:punctuation.separator',
    'trust_remote_code:variable.parameter',
    '=:keyword.operator',
    'True:constant.language',
    '":punctuation.definition',
  ]);
  const assigned = lensTokens(
    await tokenize(reg, 'source.shell', 'MODEL_ARGS=pretrained=x,max_model_len=4096 lm_eval'),
  );
  assert.deepEqual(assigned.slice(0, 2), ['MODEL_ARGS:variable.parameter', '=:keyword.operator']);
  assert.ok(assigned.includes('4096:constant.numeric'));
  assert.ok(!assigned.some((t) => t.startsWith('lm_eval')), 'the highlighting ends at the space');
});

test('shell: no highlighting in comments, for ls -a or git commit -a, or past the closing quote', async () => {
  const reg = await registry((s) => STAND_INS[s]);
  for (const line of ['# --model_args pretrained=commented', 'ls -a foo', 'git commit -a -m "x=1"']) {
    assert.deepEqual(lensTokens(await tokenize(reg, 'source.shell', line)), [], line);
  }
  // the injection must hand the host string's closing quote back, or the rest of the file is a string
  const toks = await tokenize(reg, 'source.shell', 'echo "lm_eval --model_args pretrained=x,dtype=auto" && echo after');
  const after = toks.find((t) => t.text.includes('after'));
  assert.ok(
    after && !after.scopes.some((s) => s.startsWith('string.')),
    `scopes of "after": ${after?.scopes.join(' ')}`,
  );
});

test('python: model_args="..." in simple_evaluate, and a command line inside a string', async () => {
  const reg = await registry((s) => STAND_INS[s]);
  const toks = lensTokens(
    await tokenize(
      reg,
      'source.python',
      'lm_eval.simple_evaluate(model="vllm", model_args="pretrained=x,dtype=auto", tasks=["t"])',
    ),
  );
  assert.deepEqual(toks, [
    'model_args:variable.parameter',
    '=:keyword.operator',
    '":punctuation.definition',
    'pretrained:variable.parameter',
    '=:keyword.operator',
    'x:string.unquoted',
    ',:punctuation.separator',
    'dtype:variable.parameter',
    '=:keyword.operator',
    'auto:constant.language',
    '":punctuation.definition',
  ]);
  assert.deepEqual(lensTokens(await tokenize(reg, 'source.python', '# model_args="pretrained=x"')), []);
});

test('yaml: model_args: in a --config file, and the !function tag of a task config', async () => {
  const reg = await registry((s) => STAND_INS[s]);
  const toks = lensTokens(
    await tokenize(
      reg,
      'source.yaml',
      ['model_args: pretrained=x,max_model_len=1024', 'process_docs: !function utils.process_docs'].join('\n'),
    ),
  );
  assert.deepEqual(toks, [
    'pretrained:variable.parameter',
    '=:keyword.operator',
    'x:string.unquoted',
    ',:punctuation.separator',
    'max_model_len:variable.parameter',
    '=:keyword.operator',
    '1024:constant.numeric',
    '!function:storage.type',
    'utils.process_docs:entity.name',
  ]);
  assert.deepEqual(
    lensTokens(await tokenize(reg, 'source.yaml', 'model_args:\n  pretrained: x')),
    [],
    'a mapping value is YAML, not model_args',
  );
});

test('markdown: inside a fenced block', async () => {
  const reg = await registry((s) => STAND_INS[s]);
  const toks = lensTokens(await tokenize(reg, 'text.html.markdown', '```bash\nlm_eval --model_args pretrained=x\n```'));
  assert.deepEqual(toks, [
    '--model_args:constant.other',
    'pretrained:variable.parameter',
    '=:keyword.operator',
    'x:string.unquoted',
  ]);
});

test('with the real VS Code 1.139 grammars (from code-server, when scripts/e2e/setup.sh has installed it)', async (t) => {
  const extensions = path.join(
    process.env.LENS_E2E_HOME ?? path.join(os.homedir(), '.cache', 'lm-eval-lens-e2e'),
    'cs',
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'extensions',
  );
  const files: Record<string, string> = {
    'source.shell': 'shellscript/syntaxes/shell-unix-bash.tmLanguage.json',
    'source.python': 'python/syntaxes/MagicPython.tmLanguage.json',
    'source.regexp.python': 'python/syntaxes/MagicRegExp.tmLanguage.json',
    'source.yaml': 'yaml/syntaxes/yaml.tmLanguage.json',
    'source.yaml.1.0': 'yaml/syntaxes/yaml-1.0.tmLanguage.json',
    'source.yaml.1.1': 'yaml/syntaxes/yaml-1.1.tmLanguage.json',
    'source.yaml.1.2': 'yaml/syntaxes/yaml-1.2.tmLanguage.json',
    'source.yaml.1.3': 'yaml/syntaxes/yaml-1.3.tmLanguage.json',
    'source.yaml.embedded': 'yaml/syntaxes/yaml-embedded.tmLanguage.json',
    'text.html.markdown': 'markdown-basics/syntaxes/markdown.tmLanguage.json',
  };
  if (!fs.existsSync(path.join(extensions, files['source.shell']))) {
    t.skip(`code-server's grammars are not installed at ${extensions}; run scripts/e2e/setup.sh to include this check`);
    return;
  }
  const reg = await registry((s) =>
    files[s] ? JSON.parse(fs.readFileSync(path.join(extensions, files[s]), 'utf8')) : undefined,
  );
  const seed = fs.readFileSync(path.join(repoRoot, 'examples', 'seed-qwen1.5-4b.sh'), 'utf8');
  const shell = lensTokens(await tokenize(reg, 'source.shell', seed));
  assert.deepEqual(shell.slice(0, 4), [
    '--model_args:constant.other',
    'pretrained:variable.parameter',
    '=:keyword.operator',
    'Qwen/Qwen1.5-4B:string.unquoted',
  ]);
  assert.ok(shell.includes('1024:constant.numeric'));
  const py = lensTokens(
    await tokenize(reg, 'source.python', 'simple_evaluate(model="vllm", model_args="pretrained=x,dtype=float")'),
  );
  assert.ok(py.includes('dtype:variable.parameter') && py.includes('float:string.unquoted'), py.join(' '));
  const task = fs.readFileSync(path.join(repoRoot, 'examples', 'tasks', 'my_qa', 'my_qa.yaml'), 'utf8');
  assert.ok(lensTokens(await tokenize(reg, 'source.yaml', task)).includes('!function:storage.type'));
  const md = lensTokens(
    await tokenize(
      reg,
      'text.html.markdown',
      fs.readFileSync(path.join(repoRoot, 'examples', 'seed-notes.md'), 'utf8'),
    ),
  );
  assert.ok(md.includes('dtype:variable.parameter'), md.join(' '));
});
