/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so memory figures do not mix)
 * and prints their reports in order. Pass names to run some: `npm run bench -- synth`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useProjectTmpdir } from '../__tests__/support/project-tmpdir';

// Every bench inherits a tmpdir() outside /tmp, where validation refuses a server root.
useProjectTmpdir();

const only = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n## ${file.replace(/\.bench\.ts$/, '')}\n\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
