// Bundles the VS Code client, the language server and the CLI (vscode-eslint's esbuild.js pattern).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !minify,
  minify,
  external: ['vscode'],
  logLevel: 'warning',
};
const builds = [
  // Activation loads only extension.js; it requires languageClient.js (vscode-languageclient) when
  // an lm-eval document is open or a command needs the server.
  // The banner stamps when the bundle starts evaluating: activate() reports its own cost from there.
  {
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'client/out/extension.js',
    banner: { js: 'var __lensLoadStart = performance.now();' },
  },
  { ...common, entryPoints: ['client/src/languageClient.ts'], outfile: 'client/out/languageClient.js' },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'server/out/server.js' },
  { ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'server/out/cli.js' },
];
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
