/**
 * Synthesis of 1, 10, 100 and 1,000 hosts in one process: wall time of construct + synth to disk
 * (the median of three runs, each checked to give the same output),
 * peak RSS so far, resources per host, and a plain JSON.stringify of the same output as the floor;
 * every time is also printed as a ratio to that floor, measured in the same run. Then `npm run
 * synth` of 100 hosts as a whole process (a temporary copy of main.ts with a generated hosts.ts),
 * next to `node -e 0` and `npm --version` as references.
 * Goals (issue 14): 1,000 hosts in at most 2 s in process; `npm run synth` of 100 hosts in at most 1.5 s.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, BackupServerStack, type BackupServerConfig, type HostConfig } from '../lib';

const REPO = join(__dirname, '..');
const GOAL_IN_PROCESS_1000_MS = 2000;
const GOAL_NPM_RUN_SYNTH_100_MS = 1500;

function hostsOf(count: number): HostConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `host${String(i).padStart(4, '0')}.clients.example.com`,
    port: 10000 + i,
    allowFrom: [`198.51.${i >> 8}.${i & 255}/32`],
  }));
}

const configWith = (count: number): BackupServerConfig => ({ server: { serverName: 'backup.example.com' }, hosts: hostsOf(count) });

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const rows: string[][] = [['hosts', 'synth ms', 'JSON.stringify ms', 'synth / floor', 'output MiB', 'resources', 'per host', 'peak RSS MiB']];

function synthesize(count: number): { ms: number; text: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    // Each run starts from a collected heap (bench/run.ts passes --expose-gc), not the previous run's garbage.
    globalThis.gc?.();
    const start = performance.now();
    const app = new App({ outdir });
    new BackupServerStack(app, 'backup-server', { config: configWith(count) });
    app.synth();
    const ms = performance.now() - start;
    return { ms, text: readFileSync(join(outdir, 'stacks/backup-server/cdk.tf.json'), 'utf8') };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const resourceCount = (text: string) =>
  Object.values((JSON.parse(text) as { resource: Record<string, Record<string, unknown>> }).resource).reduce((n, byId) => n + Object.keys(byId).length, 0);

/** Wall time of a command, the best of `runs` (the least disturbed by other work on the machine). */
function bestOf(runs: number, command: string, args: readonly string[], cwd: string): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    best = Math.min(best, ms);
  }
  return best;
}

/** A throwaway checkout: this package's main.ts, lib and node_modules, and a hosts.ts of `count` hosts. */
function checkoutWith(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-npm-synth-'));
  for (const file of ['package.json', 'main.ts']) copyFileSync(join(REPO, file), join(dir, file));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(REPO, 'scripts', 'synth.js'), join(dir, 'scripts', 'synth.js'));
  for (const link of ['lib', 'node_modules']) symlinkSync(join(REPO, link), join(dir, link));
  writeFileSync(join(dir, 'hosts.ts'), `export default ${JSON.stringify(configWith(count), null, 2)};\n`);
  return dir;
}

// The server's own resources, so that "per host" counts only what each host adds.
const serverResources = resourceCount(synthesize(0).text);
let thousandMs = Infinity;
let thousandFloor = 0;

/** Runs of each count: the median is reported, so one run disturbed by other work on this shared machine does not decide. */
const RUNS_PER_COUNT = 3;
const thousandRuns: number[] = [];

for (const count of [1, 10, 100, 1000]) {
  const { ms: firstMs, text } = synthesize(count);
  const times = [firstMs];
  for (let run = 1; run < RUNS_PER_COUNT; run++) {
    const again = synthesize(count);
    if (again.text !== text) throw new Error(`synthesis of ${count} hosts gave different output across runs`);
    times.push(again.ms);
  }
  const ordered = times.sort((a, b) => a - b);
  const synthMs = ordered[Math.floor(RUNS_PER_COUNT / 2)]!;
  if (count === 1000) thousandRuns.push(...ordered);
  const json = JSON.parse(text) as unknown;
  const floorStart = performance.now();
  JSON.stringify(json, null, 2);
  const floorMs = performance.now() - floorStart;
  const resources = resourceCount(text);
  const perHost = ((resources - serverResources) / count).toFixed(1);
  if (count === 1000) [thousandMs, thousandFloor] = [synthMs, floorMs];
  rows.push([String(count), synthMs.toFixed(0), floorMs.toFixed(1), `${(synthMs / floorMs).toFixed(1)}x`, mib(text.length), String(resources), perHost, mib(process.resourceUsage().maxRSS * 1024)]);
}

const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));

const checkout = checkoutWith(100);
try {
  const npmSynth = bestOf(3, 'npm', ['run', '--silent', 'synth'], checkout);
  const nodeAlone = bestOf(3, process.execPath, ['-e', '0'], checkout);
  const npmAlone = bestOf(3, 'npm', ['--version'], checkout);
  const floor100 = rows.find((row) => row[0] === '100')![2]!;
  console.log(`\nnpm run synth, 100 hosts, whole process (best of 3): ${npmSynth.toFixed(0)} ms = ${(npmSynth / Number(floor100)).toFixed(0)}x the JSON.stringify floor of 100 hosts (${floor100} ms); references: node -e 0 ${nodeAlone.toFixed(0)} ms, npm --version ${npmAlone.toFixed(0)} ms`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`goal: 1,000 hosts in process <= ${GOAL_IN_PROCESS_1000_MS} ms: median ${thousandMs.toFixed(0)} ms of ${thousandRuns.map((ms) => ms.toFixed(0)).join(', ')} (${(thousandMs / thousandFloor).toFixed(1)}x the floor), ${verdict(thousandMs <= GOAL_IN_PROCESS_1000_MS)}`);
  console.log(`goal: npm run synth of 100 hosts <= ${GOAL_NPM_RUN_SYNTH_100_MS} ms: ${npmSynth.toFixed(0)} ms, ${verdict(npmSynth <= GOAL_NPM_RUN_SYNTH_100_MS)}`);
} finally {
  rmSync(checkout, { recursive: true, force: true });
}
