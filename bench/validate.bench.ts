/**
 * Validation of 10, 100 and 1,000 hosts: the whole of it (plain copy, schema, cross-checks,
 * derived paths and firewall names) beside the zod schema alone on the same input, the floor.
 */
import { performance } from 'node:perf_hooks';
import { validateConfig, type HostConfig } from '../lib';
import { configSchema } from '../lib/config/schema';

function configWith(count: number): unknown {
  const hosts: HostConfig[] = Array.from({ length: count }, (_, i) => ({
    name: `host${String(i).padStart(4, '0')}.clients.example.com`,
    port: 10000 + i,
    allowFrom: [`198.51.${i >> 8}.${i & 255}/32`],
  }));
  return { server: { serverName: 'backup.example.com' }, hosts };
}

/** The best of `runs` timings, in milliseconds. */
function best(runs: number, action: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    action();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const rows: string[][] = [['hosts', 'validateConfig ms', 'zod schema alone ms', 'ratio']];
for (const count of [10, 100, 1000]) {
  const config = configWith(count);
  if (validateConfig(config).length > 0) throw new Error('the benchmark configuration must be valid');
  const full = best(5, () => validateConfig(config));
  const schema = best(5, () => configSchema.safeParse(config));
  rows.push([String(count), full.toFixed(1), schema.toFixed(1), (full / schema).toFixed(1)]);
}

const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
