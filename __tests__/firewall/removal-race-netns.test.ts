/**
 * Removing a host's rules while someone else inserts rules: the operator adds an SSH rule at the top
 * of INPUT, or another host's rule arrives, between the step's listing and its deletions. The
 * commands run for real in a network namespace (iptables, and ufw on copies of its configuration:
 * ./ufw-netns.ts), as synthesized; the command prefix is a stand-in that runs each command and,
 * right after the first listing, plays the concurrent actor. First the removal of earlier versions
 * (by rule number) shows the failure, then the current one (by specification) removes exactly the
 * removed host's rules.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BackupServerStack, type FirewallKind, type HostConfig } from '../../lib';
import { Testing } from '../../lib/terraform';
import { describeAsRootWithTools } from '../support/tools';
import type { Synthesized } from './firewall-only';
import { numberedIptablesRetire, numberedUfwRetire } from './numbered-removal';
import { A, B, PORT_A, PORT_B, allow, createCommand, destroyCommand, expected, probesOf, run, useBench } from './scenario';
import { machineUfwState, resetUfw, setUpUfw, tearDownUfw, ufwAdded, ufwStatus } from './ufw-netns';

const RETIRE = 'null_resource.firewall_retire-removed-hosts';
const REMOVE_A = 'null_resource.hosts_ahost_example_com_firewall_apply';

/** A prefix that runs the command, then, once, after the first listing, the script `race`. */
function useRacer(): { readonly prefix: () => string; readonly race: (lines: readonly string[]) => void; readonly raced: () => boolean } {
  let scratch = '';
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'firewall-race-'));
    const racer = join(scratch, 'racer');
    writeFileSync(racer, [
      '#!/bin/sh',
      '"$@"',
      'status=$?',
      'case "$*" in',
      `  *' -S INPUT'|*' status numbered'|*' show added')`,
      `    if [ -f '${scratch}/race' ] && mkdir '${scratch}/raced' 2>/dev/null; then sh -e '${scratch}/race' >&2; fi ;;`,
      'esac',
      'exit $status',
      '',
    ].join('\n'));
    chmodSync(racer, 0o755);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  return {
    prefix: () => join(scratch, 'racer'),
    race: (lines) => {
      rmSync(join(scratch, 'raced'), { recursive: true, force: true });
      writeFileSync(join(scratch, 'race'), `${lines.join('\n')}\n`);
    },
    raced: () => existsSync(join(scratch, 'raced')),
  };
}

/** rclone hosts: no loopback rule (minio's, proven in the nftables/iptables netns tests), so each host has exactly the rules the race is about. */
function synth(backend: FirewallKind, prefix: string, hosts: readonly HostConfig[]): Synthesized {
  const config = { server: { serverName: 'backup.example.com', storage: 'rclone' as const, firewall: { backend, commandPrefix: prefix } }, hosts };
  return JSON.parse(Testing.synth(new BackupServerStack(new App(), 'race-test', { config }))) as Synthesized;
}

describeAsRootWithTools(['ip', 'iptables', 'ip6tables', 'awk', 'flock'], 'iptables: removal while another actor inserts rules', () => {
  const bench = useBench('iptables', 'r');
  const racer = useRacer();
  const ns = () => bench().pair.server;
  const inServer = (command: string): string => run(`ip netns exec ${ns()} ${command}`);
  const v4 = (): string[] => inServer('iptables -w -S INPUT').trim().split('\n');
  const v6 = (): string[] => inServer('ip6tables -w -S INPUT').trim().split('\n');
  const tagA = '"restic-backup-server:ahost.example.com"';
  const tagB = '"restic-backup-server:bhost.example.com"';
  const ssh = '-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "operator ssh" -j ACCEPT';
  const bLate = `-A INPUT -s 10.77.0.3/32 -p tcp -m multiport --dports ${PORT_B} -m comment --comment ${tagB} -j ACCEPT`;
  const hosts = (): HostConfig[] => [
    { name: A, port: PORT_A, allowFrom: allow(bench().pair, 0) },
    { name: B, port: PORT_B },
  ];

  /** A and B deployed, nothing else in INPUT; the next listing lets the operator and B's late rule in. */
  function deployAndArmRace(): Synthesized {
    for (const tool of ['iptables', 'ip6tables']) inServer(`${tool} -w -F INPUT`);
    const stack = synth('iptables', `ip netns exec ${ns()}`, hosts());
    run(createCommand(stack, 'null_resource.hosts_ahost_example_com_firewall_apply'));
    run(createCommand(stack, 'null_resource.hosts_bhost_example_com_firewall_apply'));
    expect(v4()).toEqual([
      '-P INPUT ACCEPT',
      `-A INPUT -s 10.77.0.2/32 -p tcp -m multiport --dports ${PORT_A} -m comment --comment ${tagA} -j ACCEPT`,
      `-A INPUT -p tcp -m multiport --dports ${PORT_A} -m comment --comment ${tagA} -j DROP`,
      `-A INPUT -p tcp -m multiport --dports ${PORT_B} -m comment --comment ${tagB} -j DROP`,
    ]);
    racer.race([
      `ip netns exec ${ns()} iptables -w -I INPUT 1 -p tcp --dport 22 -m comment --comment 'operator ssh' -j ACCEPT`,
      `ip netns exec ${ns()} ip6tables -w -I INPUT 1 -p tcp --dport 22 -m comment --comment 'operator ssh' -j ACCEPT`,
      `ip netns exec ${ns()} iptables -w -I INPUT 1 -s 10.77.0.3/32 -p tcp -m multiport --dports ${PORT_B} -m comment --comment restic-backup-server:bhost.example.com -j ACCEPT`,
    ]);
    return stack;
  }

  test('earlier versions (by rule number): the operator SSH rule and B\'s new rule go, A\'s rules stay', () => {
    deployAndArmRace();
    run(numberedIptablesRetire([racer.prefix(), 'ip', 'netns', 'exec', ns()], [B]));
    expect(racer.raced()).toBe(true);
    expect(v4()).toEqual([
      '-P INPUT ACCEPT',
      `-A INPUT -s 10.77.0.2/32 -p tcp -m multiport --dports ${PORT_A} -m comment --comment ${tagA} -j ACCEPT`,
      `-A INPUT -p tcp -m multiport --dports ${PORT_A} -m comment --comment ${tagA} -j DROP`,
      `-A INPUT -p tcp -m multiport --dports ${PORT_B} -m comment --comment ${tagB} -j DROP`,
    ]);
  });

  test.each([
    ['the retire step (A removed from hosts.ts)', RETIRE, [B]],
    ['the remove command of A (its destroy provisioner)', REMOVE_A, [A, B]],
  ] as const)('%s: only A\'s rules go, by specification', (_label, address, kept) => {
    deployAndArmRace();
    const stack = synth('iptables', `${racer.prefix()} ip netns exec ${ns()}`, hosts().filter((host) => (kept as readonly string[]).includes(host.name)));
    run(address === RETIRE ? createCommand(stack, RETIRE) : destroyCommand(stack, REMOVE_A));
    expect(racer.raced()).toBe(true);
    expect(v4()).toEqual(['-P INPUT ACCEPT', bLate, ssh, `-A INPUT -p tcp -m multiport --dports ${PORT_B} -m comment --comment ${tagB} -j DROP`]);
    expect(v6()).toEqual(['-P INPUT ACCEPT', ssh, `-A INPUT -p tcp -m multiport --dports ${PORT_B} -m comment --comment ${tagB} -j DROP`]);
  });
});

describeAsRootWithTools(['ip', 'ufw', 'awk', 'flock'], 'ufw: removal while another actor inserts rules', () => {
  const bench = useBench('ufw', 'u');
  const racer = useRacer();
  const ns = () => bench().pair.server;
  let machineBefore = '';

  beforeAll(() => {
    machineBefore = machineUfwState();
    setUpUfw(ns());
  });
  afterAll(() => tearDownUfw(bench().pair.server));

  const hosts = (): HostConfig[] => [
    { name: A, port: PORT_A, allowFrom: allow(bench().pair, 0) },
    { name: B, port: PORT_B, allowFrom: ['10.77.0.2/32'] },
  ];
  const ruleA4 = `ufw allow from 10.77.0.2 to any port ${PORT_A} proto tcp comment 'restic-backup-server:ahost.example.com'`;
  const ruleA6 = `ufw allow from fd77::2 to any port ${PORT_A} proto tcp comment 'restic-backup-server:ahost.example.com'`;
  const ruleB = `ufw allow from 10.77.0.2 to any port ${PORT_B} proto tcp comment 'restic-backup-server:bhost.example.com'`;
  const ssh = "ufw allow 22/tcp comment 'operator ssh'";
  const bLate = `ufw allow from 10.77.0.3 to any port ${PORT_B} proto tcp comment 'restic-backup-server:bhost.example.com'`;

  function deployAndArmRace(): void {
    resetUfw(ns());
    const stack = synth('ufw', `ip netns exec ${ns()}`, hosts());
    run(createCommand(stack, 'null_resource.hosts_bhost_example_com_firewall_apply'));
    run(createCommand(stack, 'null_resource.hosts_ahost_example_com_firewall_apply'));
    expect(ufwAdded(ns())).toEqual([ruleB, ruleA4, ruleA6]);
    racer.race([
      `ip netns exec ${ns()} ufw insert 1 allow 22/tcp comment 'operator ssh' >/dev/null`,
      `ip netns exec ${ns()} ufw insert 1 allow proto tcp from 10.77.0.3 to any port ${PORT_B} comment restic-backup-server:bhost.example.com >/dev/null`,
    ]);
  }

  test('earlier versions (by rule number): B\'s rule and half the operator SSH rule go, A\'s rules stay', () => {
    deployAndArmRace();
    run(numberedUfwRetire([racer.prefix(), 'ip', 'netns', 'exec', ns()], [B]));
    expect(racer.raced()).toBe(true);
    // B's rule and the IPv4 half of the operator's SSH rule went; A's rules stayed.
    expect(ufwStatus(ns())).toEqual([
      '[ 1] 9002/tcp ALLOW IN 10.77.0.3 # restic-backup-server:bhost.example.com',
      '[ 2] 9001/tcp ALLOW IN 10.77.0.2 # restic-backup-server:ahost.example.com',
      '[ 3] 9001/tcp ALLOW IN fd77::2 # restic-backup-server:ahost.example.com',
      '[ 4] 22/tcp (v6) ALLOW IN Anywhere (v6) # operator ssh',
    ]);
  });

  test.each([
    ['the retire step (A removed from hosts.ts)', RETIRE, [B]],
    ['the remove command of A (its destroy provisioner)', REMOVE_A, [A, B]],
  ] as const)('%s: only A\'s rules go, by specification', (_label, address, kept) => {
    deployAndArmRace();
    const stack = synth('ufw', `${racer.prefix()} ip netns exec ${ns()}`, hosts().filter((host) => (kept as readonly string[]).includes(host.name)));
    run(address === RETIRE ? createCommand(stack, RETIRE) : destroyCommand(stack, REMOVE_A));
    expect(racer.raced()).toBe(true);
    expect(ufwAdded(ns())).toEqual([bLate, ssh, ruleB]);
    expect(ufwStatus(ns())).toEqual([
      '[ 1] 9002/tcp ALLOW IN 10.77.0.3 # restic-backup-server:bhost.example.com',
      '[ 2] 22/tcp ALLOW IN Anywhere # operator ssh',
      '[ 3] 9002/tcp ALLOW IN 10.77.0.2 # restic-backup-server:bhost.example.com',
      '[ 4] 22/tcp (v6) ALLOW IN Anywhere (v6) # operator ssh',
    ]);
  });

  test('through the test applier: A reachable from its allowFrom only, closed to all once removed from hosts.ts', async () => {
    resetUfw(ns());
    const { pair } = bench();
    await bench().apply(bench().synth(hosts()));
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B) })).toEqual({ ...expected('A', ['.2', '::2']), ...expected('B', ['.2']) });
    const report = await bench().apply(bench().synth(hosts().filter((host) => host.name === B)));
    expect(report.provisioners.map(({ when, address }) => `${when} ${address}`)).toEqual([`create ${RETIRE}`]);
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B) })).toEqual({ ...expected('A', []), ...expected('B', ['.2']) });
    await bench().destroy(bench().synth(hosts().filter((host) => host.name === B)));
    expect(ufwAdded(ns())).toEqual([]);
  });

  test('the machine\'s own ufw configuration was not touched', () => {
    expect(machineUfwState()).toBe(machineBefore);
  });
});
