/**
 * iptables (and ip6tables for IPv6): rules in the INPUT chain of the filter table, each tagged with
 * the comment `restic-backup-server:<host>`. ACCEPT rules for the allowed networks go on top of the
 * chain, one DROP of the host's ports at the end, so their order never depends on what else the
 * chain holds. Adding checks first (`-C`); removing deletes exactly the rules carrying the tag.
 */
import type { ResolvedFirewall, ResolvedHost } from '../config/resolve';
import { shellWords } from '../shell/quote';
import { renderCommand } from '../render/script';
import { FIREWALL_TAG_PREFIX, describeOpening, firewallTag, guardedPorts, loopbackPorts, networksByFamily, privileged, type FirewallBackend } from './firewall-backend';

/** The kernel keeps at most 255 characters of a rule comment. */
export const MAX_IPTABLES_COMMENT = 255;

const TOOLS = { ipv4: 'iptables', ipv6: 'ip6tables' } as const;

export function iptablesTag(hostName: string): string {
  const tag = firewallTag(hostName);
  if (tag.length > MAX_IPTABLES_COMMENT) {
    throw new Error(`firewall "iptables": the rule comment "${tag.slice(0, 40)}…" of host ${hostName} has ${tag.length} characters; iptables keeps ${MAX_IPTABLES_COMMENT}: use a host name of at most ${MAX_IPTABLES_COMMENT - FIREWALL_TAG_PREFIX.length} characters or firewall "nftables"`);
  }
  return tag;
}

export function renderIptablesApplyCommand(firewall: ResolvedFirewall, host: ResolvedHost): string {
  const match = ['-p', 'tcp', '-m', 'multiport', '--dports', guardedPorts(host).join(','), '-m', 'comment', '--comment', iptablesTag(host.name)];
  const networks = networksByFamily(host.allowFrom);
  const run = privileged(firewall, []);
  const tool = run === '' ? '"$tool"' : `${run} "$tool"`;
  return renderCommand(`Firewall rules of ${describeOpening(host)}`, [
    'ensure() {',
    '  tool=$1 where=$2',
    '  shift 2',
    `  ${tool} -w -C INPUT "$@" 2>/dev/null || ${tool} -w "$where" INPUT "$@"`,
    '}',
    ...(['ipv4', 'ipv6'] as const).flatMap((family) =>
      networks[family].map((cidr) => `ensure ${TOOLS[family]} -I ${shellWords(['-s', cidr, ...match, '-j', 'ACCEPT'])}`),
    ),
    ...(['ipv4', 'ipv6'] as const).flatMap((family) =>
      loopbackPorts(host).map((port) => `ensure ${TOOLS[family]} -I ${shellWords(['-i', 'lo', '-p', 'tcp', '--dport', String(port), '-m', 'comment', '--comment', iptablesTag(host.name), '-j', 'ACCEPT'])}`),
    ),
    ...(['ipv4', 'ipv6'] as const).map((family) => `ensure ${TOOLS[family]} -A ${shellWords([...match, '-j', 'DROP'])}`),
  ]);
}

/**
 * awk over `iptables -S INPUT`: prints the rule number (line number minus the policy line) of every
 * rule tagged by this project whose host is `only`, or, with `only` empty, is not in `keep`.
 */
const SELECT_TAGGED_RULES = [
  'NR > 1 {',
  'for (i = 1; i < NF; i++) {',
  'if ($i != "--comment") continue;',
  'tag = $(i + 1); gsub(/"/, "", tag);',
  'if (index(tag, prefix) != 1) continue;',
  'host = substr(tag, length(prefix) + 1);',
  'if (only != "" ? host == only : index(keep, " " host " ") == 0) print NR - 1',
  '} }',
].join(' ');

function removeTaggedRules(firewall: ResolvedFirewall, selection: { only: string; keep: readonly string[] }): string[] {
  const run = privileged(firewall, []);
  const tool = run === '' ? '"$tool"' : `${run} "$tool"`;
  const awk = shellWords(['awk', '-v', `prefix=${FIREWALL_TAG_PREFIX}`, '-v', `only=${selection.only}`, '-v', `keep= ${selection.keep.join(' ')} `, SELECT_TAGGED_RULES]);
  return [
    `for tool in ${TOOLS.ipv4} ${TOOLS.ipv6}; do`,
    `  rules=$(${tool} -w -S INPUT)`,
    `  numbers=$(printf '%s\\n' "$rules" | ${awk} | sort -rn)`,
    '  for number in $numbers; do',
    `    ${tool} -w -D INPUT "$number"`,
    '  done',
    'done',
  ];
}

export function renderIptablesRemoveCommand(firewall: ResolvedFirewall, hostName: string): string {
  return renderCommand(`Remove the firewall rules of ${hostName} (iptables comment ${iptablesTag(hostName)})`, removeTaggedRules(firewall, { only: hostName, keep: [] }));
}

export function renderIptablesRetireCommand(firewall: ResolvedFirewall, hostNames: readonly string[]): string {
  return renderCommand('Close the ports of hosts removed from hosts.ts (iptables rules tagged by restic-backup-server)', removeTaggedRules(firewall, { only: '', keep: hostNames }));
}

export const iptables: FirewallBackend = {
  kind: 'iptables',
  hostRules: (server, host) => ({
    apply: renderIptablesApplyCommand(server.firewall, host),
    remove: renderIptablesRemoveCommand(server.firewall, host.name),
  }),
  serverSteps: (server, hostNames) => ({ retireRemovedHosts: renderIptablesRetireCommand(server.firewall, hostNames) }),
};

