/**
 * backup-status over 1,000 hosts (synthetic trees: rclone layout, 30 snapshots and 40 data files per
 * host, a state file, a 64 KiB backup-syncd log, runit status files): the whole read and judgement,
 * the rendering, and the command end to end. Reference in the same run: `du -sb` of the same tree,
 * a bare walk of every file status sizes up.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../lib/config/resolve-config';
import type { HostConfig } from '../lib/config/types';
import { hostPaths, logDir, serviceDir, SYNCD_SERVICE } from '../lib/layout/paths';
import { collectStatus } from '../lib/status/collect';
import { renderStatusText } from '../lib/status/render-text';

const HOSTS = 1000;
const SNAPSHOTS = 30;
const DATA_FILES = 40;
const RUNS = 5;

function superviseStatus(pid: number, sinceSeconds: number): Buffer {
  const bytes = Buffer.alloc(20);
  bytes.writeBigUInt64BE(4611686018427387914n + BigInt(sinceSeconds), 0);
  bytes.writeUInt32LE(pid, 12);
  bytes[17] = 'u'.charCodeAt(0);
  bytes[19] = 1;
  return bytes;
}

function buildTree(root: string): HostConfig[] {
  const hosts: HostConfig[] = [];
  const now = Math.floor(Date.now() / 1000);
  const logLine = `${new Date().toISOString().replace('T', '_').slice(0, 19)}.00000 info replicated added=1 removed=0 durationMs=812\n`;
  const log = logLine.repeat(Math.ceil(65_536 / logLine.length));
  for (let index = 0; index < HOSTS; index++) {
    const name = `host${String(index).padStart(4, '0')}.bench.test`;
    hosts.push({ name, port: 10000 + index, storage: 'rclone', quota: '10G' });
    const paths = hostPaths(root, name, 'rclone');
    const repository = `${paths.storageData}/${name}`;
    mkdirSync(`${repository}/snapshots`, { recursive: true });
    mkdirSync(`${repository}/data/00`, { recursive: true });
    writeFileSync(`${repository}/config`, 'c'.repeat(155));
    const keys: string[] = [];
    for (let snapshot = 0; snapshot < SNAPSHOTS; snapshot++) {
      const id = (index * 100 + snapshot).toString(16).padStart(64, '0');
      writeFileSync(`${repository}/snapshots/${id}`, 's'.repeat(300));
      keys.push(`./snapshots/${id}`);
    }
    for (let file = 0; file < DATA_FILES; file++) writeFileSync(`${repository}/data/00/${file}`, Buffer.alloc(1024));
    mkdirSync(paths.syncdStateDir, { recursive: true });
    writeFileSync(paths.syncdState, JSON.stringify({ version: 1, replicated: keys }));
    mkdirSync(logDir(paths, SYNCD_SERVICE), { recursive: true });
    writeFileSync(`${logDir(paths, SYNCD_SERVICE)}/current`, log);
    for (const service of ['rclone', SYNCD_SERVICE]) {
      mkdirSync(`${serviceDir(paths, service)}/supervise`, { recursive: true });
      writeFileSync(`${serviceDir(paths, service)}/supervise/status`, superviseStatus(1000 + index, now - 3600));
      writeFileSync(`${serviceDir(paths, service)}/supervise/lock`, '');
    }
  }
  return hosts;
}

async function measure(label: string, run: () => Promise<unknown> | unknown): Promise<void> {
  const times: number[] = [];
  for (let attempt = 0; attempt < RUNS; attempt++) {
    global.gc?.();
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`| ${label} | ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms | ${times[0]!.toFixed(0)} ms | ${times[RUNS - 1]!.toFixed(0)} ms |\n`);
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'status-bench-'));
  try {
    const root = join(base, 'systems');
    const built = Date.now();
    const hosts = buildTree(root);
    const raw = { server: { serverName: 'backup.bench', root }, hosts };
    const config = resolveConfig(raw);
    const hostsFile = join(base, 'hosts.json');
    writeFileSync(hostsFile, JSON.stringify(raw));
    process.stdout.write(`tree: ${HOSTS} hosts, ${SNAPSHOTS} snapshots and ${DATA_FILES} data files each, built in ${Date.now() - built} ms\n\n`);
    process.stdout.write(`| ${HOSTS} hosts (${RUNS} runs) | median | min | max |\n|---|---|---|---|\n`);
    await measure('reference: du -sb of the tree', () => spawnSync('du', ['-sb', root]));
    let summary = '';
    await measure('collectStatus (read + judge)', async () => {
      summary = JSON.stringify((await collectStatus(config)).summary);
    });
    const report = await collectStatus(config);
    await measure('render text', () => renderStatusText(report));
    await measure('render JSON', () => JSON.stringify(report, null, 2));
    const started = process.hrtime.bigint();
    const cli = spawnSync(join(__dirname, '..', 'bin', 'backup-status'), ['--config', hostsFile, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const cliMs = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(`| bin/backup-status --json end to end (tsx start-up included, 1 run, exit ${cli.status}) | ${cliMs.toFixed(0)} ms | | |\n`);
    process.stdout.write(`\nverdicts: ${summary} (the synthetic services are not supervised: status says so)\n`);
    process.stdout.write(`memory: rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB after all runs\n`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

void main();
