/**
 * `npm run synth` (and cdktf's app command, cdktf.json): main.ts with hosts.ts and lib/ bundled by
 * esbuild in memory and run by plain node, instead of a TypeScript loader compiling file by file at
 * run time (the larger part of a synth's wall time). Packages stay outside the bundle, loaded from
 * node_modules as usual: bundling them costs more time than it saves, and cdktf must share one copy
 * of constructs with the app.
 * esbuild does not type-check, as tsx did not: `npm test` does (tsc), and hosts.ts is validated
 * when it runs. Usage: node scripts/synth.js [main.ts]
 */
const { buildSync } = require('esbuild');
const { createRequire } = require('node:module');
const { dirname, resolve } = require('node:path');
const { runInThisContext } = require('node:vm');

/** The app as one CommonJS text, or undefined when esbuild reported errors (already printed). */
function bundle(entry) {
  try {
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      write: false,
      legalComments: 'none',
      logLevel: 'error',
    });
    return result.outputFiles[0].text;
  } catch {
    return undefined;
  }
}

/** Runs CommonJS `code` as if it were the file `filename`: its requires resolve from there. */
function runAs(code, filename) {
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename });
  const module = { exports: {} };
  wrapper(module.exports, createRequire(filename), module, filename, dirname(filename));
}

const entry = resolve(process.argv[2] ?? resolve(__dirname, '..', 'main.ts'));
const code = bundle(entry);
if (code === undefined) process.exitCode = 1;
else runAs(code, entry.replace(/\.ts$/, '.js'));
