/**
 * Builds backup-syncd for production: lib/syncd/cli.ts and everything it imports, bundled into one
 * JavaScript file, dist/backup-syncd.js (gitignored), which bin/backup-syncd runs with plain node.
 * One file instead of a module tree: each loaded module costs resident memory, and the daemon runs
 * once per host. Run by `npm ci` (the prepare script), `npm run build`, and before the tests.
 */
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const PACKAGE = join(__dirname, '..');
const OUTFILE = join(PACKAGE, 'dist', 'backup-syncd.js');

function buildSyncd() {
  buildSync({
    entryPoints: [join(PACKAGE, 'lib', 'syncd', 'cli.ts')],
    outfile: OUTFILE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return OUTFILE;
}

module.exports = { buildSyncd, OUTFILE };

if (require.main === module) buildSyncd();
