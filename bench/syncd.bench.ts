/**
 * backup-syncd: latency from a snapshot entry appearing to replica_sync starting, and the resident
 * memory of an idle daemon, next to an inotifywait shell loop (inotify-tools) measured the same way.
 *
 * replica_sync stamps the time first thing and records the ids it was given; the latency of a
 * snapshot is that stamp minus the moment just before its file was created. Snapshots come one at
 * a time, each after the previous run ended, so every sample is a lone snapshot meeting an idle
 * watcher. With the default settle delay a sample lasts about that delay, so its 200 samples come
 * from 10 daemons (10 hosts on one server) taking 20 snapshots each, concurrently.
 *
 * backup-syncd runs as on a server: bin/backup-syncd and the compiled dist/backup-syncd.js, built
 * here first from the current source. Resident memory is that of the whole process tree, as for
 * the reference: the daemon and the standby shell it keeps waiting for the next run. It counts the
 * pages of the node binary shared with every other node process too; "private" is what each
 * further daemon costs. The goals (idle RSS at most 45 MiB, p50 at settle 0 within 2x of the
 * reference) are checked against this run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DEFAULTS } from '../lib/syncd/cli';

const LAUNCHER = join(__dirname, '..', 'bin', 'backup-syncd');
const SAMPLES = 200;
const GAP_MS = 20;
/** Long enough for V8's memory reducer to run once a daemon has gone quiet. */
const IDLE_MS = 10_000;
const GOAL_IDLE_RSS_MIB = 45;
const GOAL_LATENCY_RATIO = 2;

const wallMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const id = (label: string): string => createHash('sha256').update(label).digest('hex');

interface Instance {
  readonly dir: string;
  readonly repository: string;
  readonly stamps: string;
  readonly script: string;
}

function instance(base: string, name: string): Instance {
  const dir = join(base, name);
  const repository = join(dir, 'root');
  mkdirSync(join(repository, 'snapshots'), { recursive: true });
  writeFileSync(join(repository, 'config'), '');
  const stamps = join(dir, 'stamps');
  const script = join(dir, 'replica_sync');
  writeFileSync(script, `#!/bin/sh\nnow=$(date +%s%N)\ntr '\\000' '\\n' < "$1" | while read -r id; do echo "$id $now"; done >> '${stamps}'\n`);
  chmodSync(script, 0o755);
  return { dir, repository, stamps, script };
}

function stampsOf(file: string): Map<string, number> {
  const stamps = new Map<string, number>();
  if (!existsSync(file)) return stamps;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [snapshot, ns] = line.split(' ');
    if (snapshot && ns) stamps.set(snapshot, Number(BigInt(ns) / 1000n) / 1000);
  }
  return stamps;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Creates `count` snapshots one at a time in `target`, returning each one's latency in ms. */
async function measure(target: Instance, label: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const snapshot = id(`${label}-${i}`);
    const before = wallMs();
    writeFileSync(join(target.repository, 'snapshots', snapshot), 'snapshot');
    await waitFor(() => stampsOf(target.stamps).has(snapshot), `replica_sync for ${label} #${i}`);
    latencies.push(stampsOf(target.stamps).get(snapshot)! - before);
    await sleep(GAP_MS);
  }
  return latencies;
}

function startDaemon(target: Instance, settle: string): ChildProcess {
  return spawn(LAUNCHER, ['--host', 'bench', '--watch', target.repository, '--script', target.script, '--state', join(target.dir, 'state.json'), '--log-config', join(target.dir, 'none.conf'), '--settle', settle], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The reference: a minimal inotifywait loop honouring the same replica_sync contract, nothing else. */
function startReference(target: Instance): ChildProcess {
  const loop = [
    'tmp=$(mktemp -d)',
    'inotifywait -m -q -e create -e moved_to --format %f "$1/snapshots" | while read -r name; do',
    '  printf "%s\\0" "$name" > "$tmp/added"; : > "$tmp/removed"',
    '  "$2" "$tmp/added" "$tmp/removed"',
    'done',
  ].join('\n');
  return spawn('sh', ['-c', loop, 'reference', target.repository, target.script], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
}

async function untilReady(child: ChildProcess): Promise<void> {
  // The daemon logs "started" and then scans; give it (and inotifywait) a moment to set up watches.
  await new Promise<void>((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('info started')) resolve();
    });
    if (child.stdout === null) resolve();
  });
  await sleep(300);
}

function processTree(pid: number): number[] {
  const children = (readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number)).filter((candidate) => {
    try {
      const stat = readFileSync(`/proc/${candidate}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
  return [pid, ...children.flatMap(processTree)];
}

/** Resident pages of `pid` that no other process shares (what one more daemon costs). */
function privateKiB(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return ['Private_Clean', 'Private_Dirty'].reduce((sum, field) => sum + Number(new RegExp(`${field}:\\s+(\\d+)`).exec(rollup)?.[1] ?? 0), 0);
}

function rssKiB(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return sum;
    }
  }, 0);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const row = (name: string, latencies: readonly number[], rss: number): string =>
  `| ${name.padEnd(48)} | ${String(latencies.length).padStart(7)} | ${percentile(latencies, 50).toFixed(1).padStart(8)} | ${percentile(latencies, 99).toFixed(1).padStart(8)} | ${(rss / 1024).toFixed(1).padStart(13)} |`;

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v inotifywait']).status !== 0) throw new Error('inotifywait (inotify-tools) is needed for the reference');
  const build = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'build-syncd.js')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building dist/backup-syncd.js failed');
  const base = mkdtempSync(join(tmpdir(), 'syncd-bench-'));
  const children: ChildProcess[] = [];
  const rows: string[] = [];
  try {
    // settle 0: one daemon, 200 snapshots.
    const zero = instance(base, 'settle-0');
    const zeroDaemon = startDaemon(zero, '0');
    children.push(zeroDaemon);
    await untilReady(zeroDaemon);
    const idleRss = rssKiB(processTree(zeroDaemon.pid!));
    const zeroLatencies = await measure(zero, 'settle-0', SAMPLES);
    await sleep(500);
    const rssAfterBurst = rssKiB(processTree(zeroDaemon.pid!));
    await sleep(IDLE_MS);
    const idleTree = processTree(zeroDaemon.pid!);
    const idleRssAfter = rssKiB(idleTree);
    const idlePrivate = idleTree.reduce((sum, pid) => sum + privateKiB(pid), 0);
    rows.push(row('backup-syncd --settle 0', zeroLatencies, idleRssAfter));

    // The default settle: 10 daemons x 20 snapshots, concurrently.
    const instances = Array.from({ length: 10 }, (_, n) => instance(base, `default-${n}`));
    const daemons = instances.map((target) => startDaemon(target, DEFAULTS.settle));
    children.push(...daemons);
    await Promise.all(daemons.map(untilReady));
    const defaultLatencies = (await Promise.all(instances.map((target, n) => measure(target, `default-${n}`, SAMPLES / instances.length)))).flat();
    rows.push(row(`backup-syncd --settle ${DEFAULTS.settle} (default; 10 daemons)`, defaultLatencies, rssKiB(processTree(daemons[0]!.pid!))));

    // Reference: inotifywait loop.
    const reference = instance(base, 'reference');
    const loop = startReference(reference);
    children.push(loop);
    await untilReady(loop);
    const referenceLatencies = await measure(reference, 'reference', SAMPLES);
    const referenceRss = rssKiB(processTree(loop.pid!));
    rows.push(row('reference: inotifywait + sh loop', referenceLatencies, referenceRss));

    console.log('Latency from a snapshot file appearing to replica_sync starting; resident memory of the idle watcher.\n');
    console.log(`| ${'watcher'.padEnd(48)} | samples | p50 (ms) | p99 (ms) | idle RSS (MiB) |`);
    console.log(`|${'-'.repeat(50)}|---------|----------|----------|----------------|`);
    for (const line of rows) console.log(line);
    const mib = (kib: number) => (kib / 1024).toFixed(1);
    console.log(`\nbackup-syncd (compiled, bin/backup-syncd's node options) resident memory, the daemon and its waiting standby shell (${idleTree.length} processes) together: ${mib(idleRss)} MiB right after start; ${mib(rssAfterBurst)} MiB right after ${SAMPLES} snapshots; ${mib(idleRssAfter)} MiB idle ${IDLE_MS / 1000} s later, of which ${mib(idlePrivate)} MiB private (not shared with other processes). Reference: ${mib(referenceRss)} MiB.`);
    const worstIdle = Math.max(idleRss, idleRssAfter) / 1024;
    const ratio = percentile(zeroLatencies, 50) / percentile(referenceLatencies, 50);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`goal: idle RSS <= ${GOAL_IDLE_RSS_MIB} MiB: ${worstIdle.toFixed(1)} MiB, ${verdict(worstIdle <= GOAL_IDLE_RSS_MIB)}`);
    console.log(`goal: p50 at settle 0 <= ${GOAL_LATENCY_RATIO}x the reference: ${percentile(zeroLatencies, 50).toFixed(1)} ms / ${percentile(referenceLatencies, 50).toFixed(1)} ms = ${ratio.toFixed(2)}x, ${verdict(ratio <= GOAL_LATENCY_RATIO)}`);
  } finally {
    for (const child of children) {
      try {
        if (child.pid !== undefined) process.kill(child.spawnargs[0] === 'sh' ? -child.pid : child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await sleep(300);
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
