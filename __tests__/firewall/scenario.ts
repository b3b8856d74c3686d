/**
 * The real-firewall scenario shared by the nftables and the iptables tests: a stack synthesized
 * with the firewall commands run inside the server namespace (commandPrefix `ip netns exec <ns>`),
 * its firewall resources applied, changed, shrunk and destroyed with the test applier
 * (`__tests__/support/applier`), probing real TCP connections from the client namespace after each step.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BackupServerStack, type FirewallKind, type HostConfig } from '../../lib';
import { Testing } from '../../lib/terraform';
import { applyConfiguration, destroyAll, evaluateTemplate, parseConfiguration, type ApplyReport, type DestroyReport } from '../support/applier';
import { firewallOnly, type Synthesized } from './firewall-only';
import { createNamespacePair, deleteNamespacePair, reachable, startListeners, type NamespacePair, type Probe } from './netns';

export const TABLE = 'rbs_test';
export const A = 'ahost.example.com';
export const B = 'bhost.example.com';
export const PORT_A = 9001;
export const PORT_B = 9002;
export const PORT_B_MOVED = 9004;
/** Listened on, never guarded: the firewall must leave it alone. */
export const PORT_UNRELATED = 9003;

export interface Bench {
  readonly pair: NamespacePair;
  readonly ruleDirectory: string;
  readonly root: string;
  synth(hosts: readonly HostConfig[]): Synthesized;
  /** `terraform apply` of the stack's firewall resources, over the state of the previous apply. */
  apply(stack: Synthesized): Promise<ApplyReport>;
  /** `terraform destroy` with the stack's firewall resources as the configuration. */
  destroy(stack: Synthesized): Promise<DestroyReport>;
  /** Runs every probe at once; returns "open"/"closed" per probe, labelled for readable failures. */
  probe(probes: Readonly<Record<string, Probe>>, from?: 'client' | 'server'): Promise<Record<string, 'open' | 'closed'>>;
}

/** Sets up namespaces and listeners in beforeAll and tears them down in afterAll, even on failure. */
export function useBench(backend: FirewallKind, label: string): () => Bench {
  let bench: Bench | undefined;
  let pair: NamespacePair | undefined;
  let listener: ChildProcess | undefined;
  let scratch: string | undefined;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'firewall-'));
    pair = createNamespacePair(label);
    listener = await startListeners(pair, [PORT_A, PORT_B, PORT_UNRELATED, PORT_B_MOVED]);
    const ruleDirectory = join(scratch, 'nftables.d');
    const root = join(scratch, 'backups');
    const applierOptions = { statePath: join(scratch, 'applier-state.json'), workingDirectory: scratch };
    const ns = pair;
    bench = {
      pair: ns,
      ruleDirectory,
      root,
      synth: (hosts) => {
        const config = {
          server: { serverName: 'backup.example.com', root, firewall: { backend, commandPrefix: `ip netns exec ${ns.server}`, nftables: { ruleDirectory, table: TABLE } } },
          hosts,
        };
        return JSON.parse(Testing.synth(new BackupServerStack(new App(), 'firewall-test', { config }))) as Synthesized;
      },
      apply: (stack) => applyConfiguration({ ...applierOptions, configuration: firewallOnly(stack) }),
      destroy: (stack) => destroyAll({ ...applierOptions, configuration: firewallOnly(stack) }),
      probe: async (probes, from = 'client') => {
        const labels = Object.keys(probes);
        const results = await reachable(ns, labels.map((key) => probes[key]!), from);
        return Object.fromEntries(labels.map((key, index) => [key, results[index] ? 'open' : 'closed']));
      },
    };
  });

  afterAll(() => {
    if (listener?.pid !== undefined) {
      try {
        process.kill(listener.pid);
      } catch {
        // already gone
      }
    }
    deleteNamespacePair(pair);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  return () => {
    if (!bench) throw new Error('the namespaces were not set up');
    return bench;
  };
}

export function allow(pair: NamespacePair, which: 0 | 1): string[] {
  return [`${pair.clientV4[which]}/32`, `${pair.clientV6[which]}/128`];
}

/** From the server itself to `port`: over loopback, and to its own addresses (which also go through lo). */
export function probesFromServer(pair: NamespacePair, name: string, port: number): Record<string, Probe> {
  return {
    [`${name} from 127.0.0.1`]: { from: '127.0.0.1', to: '127.0.0.1', port },
    [`${name} from ::1`]: { from: '::1', to: '::1', port },
    [`${name} v4 from the server`]: { from: pair.serverV4, to: pair.serverV4, port },
    [`${name} v6 from the server`]: { from: pair.serverV6, to: pair.serverV6, port },
  };
}

/**
 * The test both backends share: a minio host's port stays open to the server itself (its
 * replica_sync reads through the S3 API), even with no allowFrom; a rest-server host's does not.
 * `deployed` is the stack applied before, restored at the end.
 */
export async function expectServerReachesOnlyMinioPorts(bench: Bench, deployed: Synthesized): Promise<void> {
  const { pair } = bench;
  const result = await bench.probe({ ...probesFromServer(pair, 'A', PORT_A), ...probesFromServer(pair, 'B', PORT_B) }, 'server');
  expect(Object.values(result)).toEqual(Array(8).fill('open'));
  const restServer = bench.synth([{ name: A, port: PORT_A, allowFrom: allow(pair, 0) }, { name: B, port: PORT_B, storage: 'rest-server' }]);
  await bench.apply(restServer);
  expect(Object.values(await bench.probe(probesFromServer(pair, 'B', PORT_B), 'server'))).toEqual(['closed', 'closed', 'closed', 'closed']);
  await bench.apply(deployed);
  expect(Object.values(await bench.probe(probesFromServer(pair, 'B', PORT_B), 'server'))).toEqual(['open', 'open', 'open', 'open']);
}

/** From client address 0 and 1, IPv4 and IPv6, to `port`. */
export function probesOf(pair: NamespacePair, name: string, port: number): Record<string, Probe> {
  return {
    [`${name} v4 from .2`]: { from: pair.clientV4[0], to: pair.serverV4, port },
    [`${name} v4 from .3`]: { from: pair.clientV4[1], to: pair.serverV4, port },
    [`${name} v6 from ::2`]: { from: pair.clientV6[0], to: pair.serverV6, port },
    [`${name} v6 from ::3`]: { from: pair.clientV6[1], to: pair.serverV6, port },
  };
}

export function expected(name: string, open: readonly ('.2' | '.3' | '::2' | '::3')[]): Record<string, 'open' | 'closed'> {
  const state = (source: string) => (open.includes(source as '.2') ? 'open' : 'closed');
  return {
    [`${name} v4 from .2`]: state('.2'),
    [`${name} v4 from .3`]: state('.3'),
    [`${name} v6 from ::2`]: state('::2'),
    [`${name} v6 from ::3`]: state('::3'),
  };
}

export const EVERYONE = ['.2', '.3', '::2', '::3'] as const;

export function run(command: string): string {
  const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`command failed (${result.status}): ${result.stderr}\n--- command ---\n${command}`);
  return result.stdout;
}

/** The create-time command of a null_resource as Terraform hands it to the shell (templates evaluated). */
export function createCommand(stack: Synthesized, address: string): string {
  return provisionerCommand(stack, address, 'create');
}

/** The destroy-time command of a null_resource as Terraform hands it to the shell (templates evaluated). */
export function destroyCommand(stack: Synthesized, address: string): string {
  return provisionerCommand(stack, address, 'destroy');
}

function provisionerCommand(stack: Synthesized, address: string, when: 'create' | 'destroy'): string {
  const resource = parseConfiguration(firewallOnly(stack)).resources.get(address);
  if (resource?.type !== 'null_resource') throw new Error(`${address} is not a firewall null_resource of the stack`);
  const provisioner = resource.provisioners.find((candidate) => candidate.when === when);
  if (provisioner === undefined) throw new Error(`${address} has no ${when}-time provisioner`);
  return evaluateTemplate(provisioner.command, `${address} ${when} command`, (name) => {
    const value = resource.triggers[name];
    if (value === undefined) throw new Error(`${address}: no trigger ${name}`);
    return value;
  });
}

/** What an apply did, by action and provisioner, for assertions that show the whole picture. */
export function touched(report: ApplyReport): { readonly created: string[]; readonly replaced: string[]; readonly destroyed: string[]; readonly provisioners: string[] } {
  return {
    created: [...report.created].sort(),
    replaced: [...report.replaced].sort(),
    destroyed: [...report.destroyed].sort(),
    provisioners: report.provisioners.map(({ when, address }) => `${when} ${address}`),
  };
}
