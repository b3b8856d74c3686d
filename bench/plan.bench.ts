/**
 * The disk plan on a server with 1,000 host directories (900 made by this project, 100 by the
 * original script, 20 files of data each): scan + diff, without and with --sizes.
 * Target: under 1 s without sizes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../lib/config/resolve-config';
import type { HostConfig } from '../lib/config/types';
import { hostPaths, serverPaths } from '../lib/layout/paths';
import { renderMarker } from '../lib/render/marker';
import { diffPlan } from '../lib/plan/diff';
import { scanDisk } from '../lib/plan/scan';
import { renderPlanText } from '../lib/plan/render-text';

const HOSTS = 1000;
const ORIGINAL_EVERY = 10;
const FILES_PER_HOST = 20;
const RUNS = 5;

function buildTree(root: string): HostConfig[] {
  mkdirSync(serverPaths(root).runit, { recursive: true });
  const hosts: HostConfig[] = [];
  const server = { serverName: 'backup.bench', root };
  for (let index = 0; index < HOSTS; index++) {
    const host: HostConfig = { name: `host${String(index).padStart(4, '0')}.bench.test`, port: 10000 + index, allowFrom: ['192.0.2.0/24'] };
    hosts.push(host);
    const resolved = resolveConfig({ server, hosts: [host] }).hosts[0];
    const paths = hostPaths(root, host.name, 'minio');
    for (const service of [...paths.services, 'runsvdir']) mkdirSync(service === 'runsvdir' ? `${paths.runsvdirService}/log` : `${paths.runsvs}/${service}/log`, { recursive: true });
    mkdirSync(paths.certs, { recursive: true });
    const data = `${paths.storageData}/backups/restic/data/00`;
    mkdirSync(data, { recursive: true });
    for (let file = 0; file < FILES_PER_HOST; file++) writeFileSync(`${data}/${file}`, Buffer.alloc(4096));
    writeFileSync(`${paths.storageConf}/config.json`, '{"version":"19","credential":{"accessKey":"A","secretKey":"B"}}');
    symlinkSync(resolved.tlsCertificate, `${paths.certs}/public.crt`);
    symlinkSync(resolved.tlsKey, `${paths.certs}/private.key`);
    if (index % ORIGINAL_EVERY === 0) {
      writeFileSync(`${paths.runsvs}/minio/run`, `#!/bin/sh\nexec minio server --quiet --config-dir ${paths.storageConf} --address :${host.port} ${paths.storageData}\n`);
    } else {
      writeFileSync(paths.marker, renderMarker(resolved));
    }
    symlinkSync(paths.runsvdirService, paths.enableLink);
  }
  return hosts;
}

function measure(label: string, run: () => void): void {
  const times: number[] = [];
  for (let attempt = 0; attempt < RUNS; attempt++) {
    global.gc?.();
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`| ${label} | ${times[Math.floor(RUNS / 2)].toFixed(0)} ms | ${times[0].toFixed(0)} ms | ${times[RUNS - 1].toFixed(0)} ms |\n`);
}

const base = mkdtempSync(join(tmpdir(), 'plan-bench-'));
try {
  const root = join(base, 'systems');
  const built = Date.now();
  const hosts = buildTree(root);
  // Two hosts dropped, one moved to another port, one added: a realistic plan, not an empty one.
  const wanted = [...hosts.slice(1, -1).map((host, index) => (index === 4 ? { ...host, port: 20005 } : host)), { name: 'new.bench.test', port: 30000 }];
  const config = resolveConfig({ server: { serverName: 'backup.bench', root }, hosts: wanted });
  const hostsFile = join(base, 'hosts.json');
  writeFileSync(hostsFile, JSON.stringify({ server: { serverName: 'backup.bench', root }, hosts: wanted }));
  process.stdout.write(`tree: ${HOSTS} hosts (${HOSTS / ORIGINAL_EVERY} original-script), ${FILES_PER_HOST} data files each, built in ${Date.now() - built} ms\n\n`);
  process.stdout.write(`| scan + diff of ${HOSTS} hosts (${RUNS} runs) | median | min | max |\n|---|---|---|---|\n`);
  let summary = '';
  measure('without --sizes', () => {
    summary = JSON.stringify(diffPlan(config, scanDisk(root)).summary);
  });
  measure('with --sizes', () => {
    diffPlan(config, scanDisk(root, { sizes: true }));
  });
  measure('without --sizes, text rendered', () => {
    renderPlanText(diffPlan(config, scanDisk(root)));
  });
  const started = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'bin', 'plan.ts'), '--config', hostsFile, '--disk-only'], { encoding: 'utf8' });
  const cliMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`| npm run plan end to end (tsx start-up included, 1 run, exit ${cli.status}) | ${cliMs.toFixed(0)} ms | | |\n`);
  process.stdout.write(`\nplan summary: ${summary}\n`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
