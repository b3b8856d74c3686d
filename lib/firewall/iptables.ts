/**
 * iptables (and ip6tables for IPv6): rules in the INPUT chain of the filter table, each tagged with
 * the comment `restic-backup-server:<host>`. ACCEPT rules for the allowed networks go on top of the
 * chain, one DROP of the host's ports at the end, so their order never depends on what else the
 * chain holds. Adding checks first (`-C`); removing deletes exactly the rules carrying the tag, each by its
 * specification (never by a rule number, which another insert makes stale).
 */
import type { ResolvedFirewall, ResolvedHost } from '../config/resolve';
import { shellWords } from '../shell/quote';
import { renderFirewallCommand } from './lock';
import { FIREWALL_TAG_PREFIX, describeOpening, firewallTag, guardedPorts, loopbackPorts, networksByFamily, privileged, type FirewallBackend } from './firewall-backend';

/** The kernel keeps at most 255 characters of a rule comment. */
export const MAX_IPTABLES_COMMENT = 255;

const TOOLS = { ipv4: 'iptables', ipv6: 'ip6tables' } as const;

export function iptablesTag(hostName: string): string {
  return firewallTag(hostName);
}

/** The comment limit, checked by validation (FirewallBackend.hostProblems) before anything is rendered. */
export function iptablesHostProblems(hostName: string): string[] {
  const tag = iptablesTag(hostName);
  if (tag.length <= MAX_IPTABLES_COMMENT) return [];
  return [`a host name of at most ${MAX_IPTABLES_COMMENT - FIREWALL_TAG_PREFIX.length} characters with firewall "iptables": its rule comment "${FIREWALL_TAG_PREFIX}<host>" has ${tag.length} characters; iptables keeps ${MAX_IPTABLES_COMMENT}`];
}

export function renderIptablesApplyCommand(firewall: ResolvedFirewall, host: ResolvedHost): string {
  const match = ['-p', 'tcp', '-m', 'multiport', '--dports', guardedPorts(host).join(','), '-m', 'comment', '--comment', iptablesTag(host.name)];
  const networks = networksByFamily(host.allowFrom);
  const run = privileged(firewall, []);
  const tool = run === '' ? '"$tool"' : `${run} "$tool"`;
  return renderFirewallCommand(`Firewall rules of ${describeOpening(host)}`, [
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

/** The only characters of a rule this project adds, as `iptables -S` prints it (comment unquoted). */
const RULE_WORD = '^[A-Za-z0-9_.:/,-]+$';

/**
 * awk over `iptables -S INPUT`: for every rule tagged by this project whose host is `only`, or, with
 * `only` empty, is not in `keep`, prints its specification as a delete: `-D INPUT <the same words>`,
 * comment unquoted. A tagged rule with any word outside RULE_WORD is not turned into a command: the
 * program names it on stderr and fails, so the step stops instead of guessing.
 */
const SELECT_TAGGED_RULES = [
  '$1 == "-A" {',
  'at = 0; for (i = 2; i < NF; i++) if ($i == "--comment") { at = i + 1; break }',
  'if (at == 0) next;',
  'tag = $at; if (tag ~ /^".*"$/) tag = substr(tag, 2, length(tag) - 2);',
  'if (index(tag, prefix) != 1) next;',
  'host = substr(tag, length(prefix) + 1);',
  'if (only != "" ? host != only : index(keep, " " host " ") != 0) next;',
  'spec = "-D";',
  'for (i = 2; i <= NF; i++) {',
  'word = i == at ? tag : $i;',
  `if (word !~ "${RULE_WORD}") { print "refusing to remove a rule it cannot read safely: " $0 > "/dev/stderr"; failed = 1; next }`,
  'spec = spec " " word',
  '}',
  'print spec',
  '}',
  'END { exit failed }',
].join(' ');

/**
 * Removal by specification, never by number: a rule number from a listing is stale as soon as
 * anyone inserts a rule, and would delete someone else's rule. `iptables -D INPUT <spec>` deletes
 * a rule equal to the spec, wherever it is by then.
 */
function removeTaggedRules(firewall: ResolvedFirewall, selection: { only: string; keep: readonly string[] }): string[] {
  const run = privileged(firewall, []);
  const tool = run === '' ? '"$tool"' : `${run} "$tool"`;
  const awk = shellWords(['awk', '-v', `prefix=${FIREWALL_TAG_PREFIX}`, '-v', `only=${selection.only}`, '-v', `keep= ${selection.keep.join(' ')} `, SELECT_TAGGED_RULES]);
  return [
    // The specs are split into words below: no globbing of them.
    'set -f',
    `for tool in ${TOOLS.ipv4} ${TOOLS.ipv6}; do`,
    `  rules=$(${tool} -w -S INPUT)`,
    `  specs=$(printf '%s\\n' "$rules" | ${awk})`,
    '  while IFS= read -r spec; do',
    '    [ -n "$spec" ] || continue',
    '    # shellcheck disable=SC2086 # the awk program let through only words of letters, digits and _ . : / , -',
    `    ${tool} -w $spec`,
    '  done <<EOF',
    '$specs',
    'EOF',
    'done',
  ];
}

export function renderIptablesRemoveCommand(firewall: ResolvedFirewall, hostName: string): string {
  return renderFirewallCommand(`Remove the firewall rules of ${hostName} (iptables comment ${iptablesTag(hostName)})`, removeTaggedRules(firewall, { only: hostName, keep: [] }));
}

export function renderIptablesRetireCommand(firewall: ResolvedFirewall, hostNames: readonly string[]): string {
  return renderFirewallCommand('Close the ports of hosts removed from hosts.ts (iptables rules tagged by restic-backup-server)', removeTaggedRules(firewall, { only: '', keep: hostNames }));
}

export const iptables: FirewallBackend = {
  kind: 'iptables',
  hostRules: (server, host) => ({
    apply: renderIptablesApplyCommand(server.firewall, host),
    remove: renderIptablesRemoveCommand(server.firewall, host.name),
  }),
  serverSteps: (server, hostNames) => ({ retireRemovedHosts: renderIptablesRetireCommand(server.firewall, hostNames) }),
  hostProblems: (_server, host) => iptablesHostProblems(host.name),
};

