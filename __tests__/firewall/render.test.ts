/**
 * The firewall renderers: rule files and commands of every backend, as snapshots and checked by
 * sh -n and shellcheck; the removal logic of ufw and firewalld run against recording stand-ins.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIREWALL_KINDS,
  describeOpening,
  firewallBackend,
  firewalldRecord,
  iptablesTag,
  renderNftablesRuleFile,
  resolveHost,
  resolveServer,
  type FirewallKind,
  type HostConfig,
  type ResolvedServer,
} from '../../lib';
import { CLEAN, shellcheck, shellSyntax } from '../support/shell-lint';
import { describeWithTools } from '../support/tools';

const serverWith = (backend: FirewallKind, commandPrefix = '', root = '/backups/systems'): ResolvedServer =>
  resolveServer({ serverName: 'backup.example.com', root, firewall: { backend, commandPrefix } });

const HOSTS: readonly HostConfig[] = [
  { name: 'ahost.example.com', port: 9001, consolePort: 9101, allowFrom: ['192.0.2.0/24', '2001:db8::/48'] },
  { name: 'bhost.example.com', port: 9002, allowFrom: ['198.51.100.7/32'] },
  { name: 'chost.example.com', port: 9003 },
];

/** Every command and file a backend renders for the sample hosts, labelled. */
function rendered(server: ResolvedServer): Record<string, string> {
  const backend = firewallBackend(server.firewall.backend);
  const out: Record<string, string> = {};
  for (const config of HOSTS) {
    const rules = backend.hostRules(server, resolveHost(config, server));
    if (rules === undefined) continue;
    if (rules.ruleFile) out[`${config.name} rule file ${rules.ruleFile.path}`] = rules.ruleFile.content;
    out[`${config.name} apply`] = rules.apply;
    if (rules.remove !== undefined) out[`${config.name} remove`] = rules.remove;
  }
  const steps = backend.serverSteps(server, HOSTS.map((host) => host.name));
  if (steps?.setup) {
    out['server setup'] = steps.setup.command;
    out['server setup destroy'] = steps.setup.onDestroy;
  }
  if (steps) out['server retire-removed-hosts'] = steps.retireRemovedHosts;
  return out;
}

const commandsOf = (texts: Record<string, string>): [string, string][] => Object.entries(texts).filter(([label]) => !label.includes(' rule file '));

describe('nftables rule file', () => {
  const server = serverWith('nftables');

  test('declares, empties and fills the host chain of the project table', () => {
    expect(renderNftablesRuleFile(server.firewall, resolveHost(HOSTS[0]!, server))).toMatchSnapshot();
  });

  test('a host without allowFrom gets only the drop: open to nobody (a minio host: but the server itself, over loopback)', () => {
    const content = renderNftablesRuleFile(server.firewall, resolveHost(HOSTS[2]!, server));
    expect(content.split('\n').filter((line) => line.includes('dport'))).toEqual(['\t\ttcp dport { 9003 } iifname "lo" accept', '\t\ttcp dport { 9003 } drop']);
    expect(content).toContain('# TCP 9003 of chost.example.com: open to nobody (no allowFrom)');
    const rest = renderNftablesRuleFile(server.firewall, resolveHost({ ...HOSTS[2]!, storage: 'rest-server' }, server));
    expect(rest.split('\n').filter((line) => line.includes('dport'))).toEqual(['\t\ttcp dport { 9003 } drop']);
  });

  test('an IPv4-only host has no ip6 accept, and the other way round', () => {
    const v4 = renderNftablesRuleFile(server.firewall, resolveHost(HOSTS[1]!, server));
    expect(v4).toContain('ip saddr { 198.51.100.7/32 } accept');
    expect(v4).not.toContain('ip6 saddr');
    const v6 = renderNftablesRuleFile(server.firewall, resolveHost({ name: 'v6.example.com', port: 9009, allowFrom: ['2001:db8:1::/64', '2001:db8:2::1/128'] }, server));
    expect(v6).toContain('ip6 saddr { 2001:db8:1::/64, 2001:db8:2::1/128 } accept');
    expect(v6).not.toMatch(/\bip saddr/);
  });

  test('the rule file lives in the rule directory, named after table and host', () => {
    const custom = resolveServer({ serverName: 'backup.example.com', firewall: { nftables: { ruleDirectory: '/etc/nftables', table: 'backups' } } });
    expect(firewallBackend('nftables').hostRules(custom, resolveHost(HOSTS[0]!, custom))?.ruleFile?.path).toBe('/etc/nftables/backups-ahost.example.com.nft');
  });
});

describe('rendered commands', () => {
  test.each(['nftables', 'iptables', 'ufw', 'firewalld'] as const)('%s, through the prefix "sudo -n"', (backend) => {
    const texts = rendered(serverWith(backend, 'sudo -n'));
    expect(texts).toMatchSnapshot();
    // Every firewall command goes through the prefix.
    for (const [, text] of commandsOf(texts)) {
      for (const line of text.split('\n')) {
        if (/(^|[^-\w])(nft|iptables|ip6tables|ufw|firewall-cmd) /.test(line) && !/^\s*(#|for tool in|ensure )/.test(line)) expect(line).toMatch(/sudo -n /);
      }
    }
  });

  test('without a prefix, no command carries one', () => {
    for (const backend of FIREWALL_KINDS) {
      for (const [, text] of commandsOf(rendered(serverWith(backend)))) expect(text).not.toContain('sudo');
    }
  });

  test('none renders nothing at all', () => {
    expect(rendered(serverWith('none'))).toEqual({});
  });

  test('iptables: each ACCEPT on top, one DROP per family at the end, all tagged with the host', () => {
    const server = serverWith('iptables');
    const apply = firewallBackend('iptables').hostRules(server, resolveHost(HOSTS[0]!, server))!.apply;
    const ensures = apply.split('\n').filter((line) => line.startsWith('ensure '));
    expect(ensures).toEqual([
      'ensure iptables -I -s 192.0.2.0/24 -p tcp -m multiport --dports 9001,9101 -m comment --comment restic-backup-server:ahost.example.com -j ACCEPT',
      'ensure ip6tables -I -s 2001:db8::/48 -p tcp -m multiport --dports 9001,9101 -m comment --comment restic-backup-server:ahost.example.com -j ACCEPT',
      // minio: the server's own replica_sync reads the S3 port over loopback (not the console).
      'ensure iptables -I -i lo -p tcp --dport 9001 -m comment --comment restic-backup-server:ahost.example.com -j ACCEPT',
      'ensure ip6tables -I -i lo -p tcp --dport 9001 -m comment --comment restic-backup-server:ahost.example.com -j ACCEPT',
      'ensure iptables -A -p tcp -m multiport --dports 9001,9101 -m comment --comment restic-backup-server:ahost.example.com -j DROP',
      'ensure ip6tables -A -p tcp -m multiport --dports 9001,9101 -m comment --comment restic-backup-server:ahost.example.com -j DROP',
    ]);
    const rest = firewallBackend('iptables').hostRules(server, resolveHost({ ...HOSTS[0]!, consolePort: undefined, storage: 'rest-server' }, server))!.apply;
    expect(rest).not.toContain('-i lo');
  });

  test('iptables reports a host name too long for a rule comment, saying what to do (validation shows it)', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}`;
    const server = serverWith('iptables');
    expect(firewallBackend('iptables').hostProblems!(server, resolveHost({ name: long, port: 9001 }, server))).toEqual([
      'a host name of at most 234 characters with firewall "iptables": its rule comment "restic-backup-server:<host>" has 263 characters; iptables keeps 255',
    ]);
    expect(iptablesTag('a'.repeat(234))).toHaveLength(255);
    expect(firewallBackend('iptables').hostProblems!(server, resolveHost({ name: 'a'.repeat(234), port: 9001 }, server))).toEqual([]);
  });

  test('describeOpening says what a host gets', () => {
    const server = serverWith('nftables');
    expect(describeOpening(resolveHost(HOSTS[0]!, server))).toBe('TCP 9001, 9101 of ahost.example.com: open to 192.0.2.0/24, 2001:db8::/48; closed to everyone else');
    expect(describeOpening(resolveHost(HOSTS[2]!, server))).toBe('TCP 9003 of chost.example.com: open to nobody (no allowFrom)');
  });
});

describeWithTools(['sh', 'shellcheck'], 'every rendered command passes sh -n and shellcheck', () => {
  const cases = FIREWALL_KINDS.flatMap((backend) =>
    ['', 'sudo -n'].flatMap((prefix) => commandsOf(rendered(serverWith(backend, prefix))).map(([label, text]) => [`${backend} ${prefix || 'no prefix'}: ${label}`, text] as const)),
  );

  test('there are commands to check', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  test.each(cases)('%s', (_label, text) => {
    expect(shellSyntax(text)).toEqual(CLEAN);
    expect(shellcheck(text)).toEqual(CLEAN);
  });
});

/**
 * Removal logic against a stand-in named as the command prefix, which records every call and answers
 * `ufw show added` and `iptables -S INPUT` with canned listings: hostile listings without a network
 * namespace, and firewalld, which is not run for real (it manages the whole machine's firewall).
 * ufw and iptables also run for real in network namespaces (removal-race-netns.test.ts).
 */
describeWithTools(['sh', 'awk', 'flock'], 'ufw, firewalld and iptables commands against a recording stand-in', () => {
  let scratch = '';
  let log = '';
  let standIn = '';

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'firewall-standin-'));
    log = join(scratch, 'calls');
    standIn = join(scratch, 'as-root');
    writeFileSync(join(scratch, 'added'), [
      "Added user rules (see 'ufw status' for running firewall):",
      'ufw allow 22/tcp',
      "ufw allow from 192.0.2.0/24 to any port 9001,9101 proto tcp comment 'restic-backup-server:ahost.example.com'",
      "ufw allow from 198.51.100.7 to any port 9002 proto tcp comment 'restic-backup-server:bhost.example.com'",
      "ufw allow from 2001:db8::/48 to any port 9001,9101 proto tcp comment 'restic-backup-server:ahost.example.com'",
      "ufw allow 9009/tcp comment 'restic-backup-server:ahost.example.com.old'",
      "ufw allow 9010/tcp comment 'an operator rule'",
      '',
    ].join('\n'));
    writeFileSync(standIn, [
      '#!/bin/sh',
      `case "$1" in`,
      `  ufw|firewall-cmd|iptables|ip6tables) printf '%s\\n' "$*" >> '${log}' ;;`,
      '  *) exec "$@" ;;',
      'esac',
      `[ "$*" = 'ufw show added' ] && cat '${join(scratch, 'added')}'`,
      `[ "$*" = 'iptables -w -S INPUT' ] && cat '${join(scratch, 'rules')}'`,
      'exit 0',
      '',
    ].join('\n'));
    chmodSync(standIn, 0o755);
  });

  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const run = (command: string): void => {
    const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
    expect(result.stderr.replace(/^closing the ports of .*\n/gm, '')).toBe('');
    expect(result.status).toBe(0);
  };
  const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

  test('ufw: apply allows each network with the tag; remove deletes exactly the host rules, by specification', () => {
    const server = serverWith('ufw', standIn);
    const rules = firewallBackend('ufw').hostRules(server, resolveHost(HOSTS[0]!, server))!;
    run(rules.apply);
    expect(calls()).toEqual([
      'ufw allow proto tcp from 192.0.2.0/24 to any port 9001,9101 comment restic-backup-server:ahost.example.com',
      'ufw allow proto tcp from 2001:db8::/48 to any port 9001,9101 comment restic-backup-server:ahost.example.com',
    ]);
    rmSync(log);
    run(rules.remove!);
    expect(calls()).toEqual([
      'ufw show added',
      'ufw --force delete allow from 192.0.2.0/24 to any port 9001,9101 proto tcp',
      'ufw --force delete allow from 2001:db8::/48 to any port 9001,9101 proto tcp',
    ]);
  });

  test('ufw: the retire step deletes the rules of every tagged host not in hosts.ts, never untagged ones', () => {
    const server = serverWith('ufw', standIn);
    run(firewallBackend('ufw').serverSteps(server, ['bhost.example.com'])!.retireRemovedHosts);
    expect(calls()).toEqual([
      'ufw show added',
      'ufw --force delete allow from 192.0.2.0/24 to any port 9001,9101 proto tcp',
      'ufw --force delete allow from 2001:db8::/48 to any port 9001,9101 proto tcp',
      'ufw --force delete allow 9009/tcp',
    ]);
  });

  test('ufw: a tagged rule with a word it cannot read safely stops the step before anything is deleted', () => {
    writeFileSync(join(scratch, 'added'), [
      "ufw allow from 192.0.2.0/24 to any port 9001 proto tcp comment 'restic-backup-server:ahost.example.com'",
      "ufw allow from 192.0.2.0/24 to any port 9001;reboot proto tcp comment 'restic-backup-server:ahost.example.com'",
      '',
    ].join('\n'));
    const server = serverWith('ufw', standIn);
    const result = spawnSync('/bin/sh', ['-c', firewallBackend('ufw').hostRules(server, resolveHost(HOSTS[0]!, server))!.remove!], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toBe("refusing to remove a rule it cannot read safely: ufw allow from 192.0.2.0/24 to any port 9001;reboot proto tcp comment 'restic-backup-server:ahost.example.com'\n");
    expect(calls()).toEqual(['ufw show added']);
  });

  test('iptables: a tagged rule with a word it cannot read safely stops the step before anything is deleted', () => {
    writeFileSync(join(scratch, 'rules'), [
      '-P INPUT ACCEPT',
      '-A INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 9001 -m comment --comment "restic-backup-server:ahost.example.com" -j ACCEPT',
      '-A INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 9001 -m comment --comment "restic-backup-server:ahost.example.com" -j LOG --log-prefix "$(reboot)"',
      '',
    ].join('\n'));
    const server = serverWith('iptables', standIn);
    const result = spawnSync('/bin/sh', ['-c', firewallBackend('iptables').hostRules(server, resolveHost(HOSTS[0]!, server))!.remove!], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toBe('refusing to remove a rule it cannot read safely: -A INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 9001 -m comment --comment "restic-backup-server:ahost.example.com" -j LOG --log-prefix "$(reboot)"\n');
    expect(calls()).toEqual(['iptables -w -S INPUT']);
  });

  test('iptables: remove turns each tagged line of the listing back into a delete by specification', () => {
    writeFileSync(join(scratch, 'rules'), [
      '-P INPUT ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
      '-A INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 9001,9101 -m comment --comment "restic-backup-server:ahost.example.com" -j ACCEPT',
      '-A INPUT -s 198.51.100.7/32 -p tcp -m multiport --dports 9002 -m comment --comment "restic-backup-server:bhost.example.com" -j ACCEPT',
      '-A INPUT -p tcp -m multiport --dports 9009 -m comment --comment "restic-backup-server:ahost.example.com.old" -j DROP',
      '-A INPUT -p tcp -m multiport --dports 9001,9101 -m comment --comment "restic-backup-server:ahost.example.com" -j DROP',
      '',
    ].join('\n'));
    const server = serverWith('iptables', standIn);
    run(firewallBackend('iptables').hostRules(server, resolveHost(HOSTS[0]!, server))!.remove!);
    expect(calls()).toEqual([
      'iptables -w -S INPUT',
      'iptables -w -D INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 9001,9101 -m comment --comment restic-backup-server:ahost.example.com -j ACCEPT',
      'iptables -w -D INPUT -p tcp -m multiport --dports 9001,9101 -m comment --comment restic-backup-server:ahost.example.com -j DROP',
      'ip6tables -w -S INPUT',
    ]);
  });

  test('firewalld: apply records and adds each rich rule; remove and retire take back exactly the recorded ones', () => {
    const server = serverWith('firewalld', standIn, join(scratch, 'root'));
    const [a, b] = [resolveHost(HOSTS[0]!, server), resolveHost(HOSTS[1]!, server)];
    const backend = firewallBackend('firewalld');
    run(backend.hostRules(server, a)!.apply);
    run(backend.hostRules(server, b)!.apply);
    const richA = [
      'rule family="ipv4" source address="192.0.2.0/24" port port="9001" protocol="tcp" accept',
      'rule family="ipv4" source address="192.0.2.0/24" port port="9101" protocol="tcp" accept',
      'rule family="ipv6" source address="2001:db8::/48" port port="9001" protocol="tcp" accept',
      'rule family="ipv6" source address="2001:db8::/48" port port="9101" protocol="tcp" accept',
    ];
    expect(readFileSync(firewalldRecord(server, a.name), 'utf8')).toBe(`${richA.join('\n')}\n`);
    expect(calls().slice(0, 8)).toEqual(richA.flatMap((rule) => [`firewall-cmd --permanent --add-rich-rule=${rule}`, `firewall-cmd --add-rich-rule=${rule}`]));

    rmSync(log);
    run(backend.hostRules(server, a)!.remove!);
    expect(calls()).toEqual(richA.flatMap((rule) => [`firewall-cmd --permanent --remove-rich-rule=${rule}`, `firewall-cmd --remove-rich-rule=${rule}`]));
    expect(existsSync(firewalldRecord(server, a.name))).toBe(false);

    rmSync(log);
    run(backend.serverSteps(server, [a.name])!.retireRemovedHosts);
    const richB = 'rule family="ipv4" source address="198.51.100.7/32" port port="9002" protocol="tcp" accept';
    expect(calls()).toEqual([`firewall-cmd --permanent --remove-rich-rule=${richB}`, `firewall-cmd --remove-rich-rule=${richB}`]);
    expect(existsSync(firewalldRecord(server, b.name))).toBe(false);
  });
});
