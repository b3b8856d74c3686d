/**
 * The real-firewall scenario shared by the nftables and the iptables tests: a stack synthesized
 * with the firewall commands run inside the server namespace (commandPrefix `ip netns exec <ns>`),
 * applied, changed, shrunk and destroyed with the Terraform stand-in, probing real TCP
 * connections from the client namespace after each step.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BackupServerStack, type FirewallKind, type HostConfig } from '../../lib';
import { Testing } from '../../lib/terraform';
import { createNamespacePair, deleteNamespacePair, reachable, startListeners, type NamespacePair, type Probe } from './netns';
import type { Synthesized } from './terraform-sim';

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
  /** Runs every probe at once; returns "open"/"closed" per probe, labelled for readable failures. */
  probe(probes: Readonly<Record<string, Probe>>): Promise<Record<string, 'open' | 'closed'>>;
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
      probe: async (probes) => {
        const labels = Object.keys(probes);
        const results = await reachable(ns, labels.map((key) => probes[key]!));
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
