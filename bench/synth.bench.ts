/**
 * Synthesis of 1, 10, 100 and 1,000 hosts in one process: wall time of construct + synth to disk,
 * peak RSS so far, resources per host, and a plain JSON.stringify of the same output as the floor.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, BackupServerStack, type BackupServerConfig, type HostConfig } from '../lib';

function configWith(count: number): BackupServerConfig {
  const hosts: HostConfig[] = Array.from({ length: count }, (_, i) => ({
    name: `host${String(i).padStart(4, '0')}.clients.example.com`,
    port: 10000 + i,
    allowFrom: [`198.51.${i >> 8}.${i & 255}/32`],
  }));
  return { server: { serverName: 'backup.example.com' }, hosts };
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const rows: string[][] = [['hosts', 'synth ms', 'JSON.stringify ms', 'output MiB', 'resources', 'per host', 'peak RSS MiB']];

function synthesize(count: number): { ms: number; text: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
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

// The server's own resources, so that "per host" counts only what each host adds.
const serverResources = resourceCount(synthesize(0).text);

for (const count of [1, 10, 100, 1000]) {
  globalThis.gc?.();
  const { ms: synthMs, text } = synthesize(count);
  const json = JSON.parse(text) as unknown;
  const floorStart = performance.now();
  JSON.stringify(json, null, 2);
  const floorMs = performance.now() - floorStart;
  const resources = resourceCount(text);
  const perHost = ((resources - serverResources) / count).toFixed(1);
  rows.push([String(count), synthMs.toFixed(0), floorMs.toFixed(1), mib(text.length), String(resources), perHost, mib(process.resourceUsage().maxRSS * 1024)]);
}

const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
