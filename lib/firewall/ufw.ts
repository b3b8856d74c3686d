/**
 * ufw: one `allow` rule per allowed network, with the comment `restic-backup-server:<host>`. ufw
 * denies incoming connections by default, so a host without allowFrom needs no rule; ufw skips a
 * rule that exists already. Removing deletes exactly the rules carrying the tag, each by its
 * specification (`ufw delete allow from ...`), never by a number from `ufw status numbered`, which
 * another insert makes stale.
 */
import type { ResolvedFirewall, ResolvedHost } from '../config/resolve';
import { shellWords } from '../shell/quote';
import { renderFirewallCommand } from './lock';
import { FIREWALL_TAG_PREFIX, describeOpening, firewallTag, guardedPorts, privileged, type FirewallBackend } from './firewall-backend';

export function renderUfwApplyCommand(firewall: ResolvedFirewall, host: ResolvedHost): string {
  const ports = guardedPorts(host).join(',');
  const rules = host.allowFrom.map((cidr) =>
    privileged(firewall, ['ufw', 'allow', 'proto', 'tcp', 'from', cidr, 'to', 'any', 'port', ports, 'comment', firewallTag(host.name)]),
  );
  return renderFirewallCommand(`Firewall rules of ${describeOpening(host)}`, rules.length > 0 ? rules : [`echo ${shellWords([`${host.name}: no allowFrom, nothing to open`])}`]);
}

/** The only characters of a rule this project adds, as `ufw show added` prints it. */
const RULE_WORD = '^[A-Za-z0-9_.:/,-]+$';

/**
 * awk over `ufw show added` (lines such as `ufw allow from 192.0.2.0/24 to any port 9001 proto tcp
 * comment 'restic-backup-server:ahost.example.com'`): for every rule tagged by this project whose
 * host is `only`, or, with `only` empty, is not in `keep`, prints the rule without `ufw` and without
 * the comment, as `ufw delete` takes it. A tagged rule with a word outside RULE_WORD fails the
 * program, naming the rule, instead of becoming a command.
 */
const SELECT_TAGGED_RULES = [
  '$1 == "ufw" && NF > 3 && $(NF - 1) == "comment" {',
  'tag = $NF; if (tag ~ /^\'.*\'$/) tag = substr(tag, 2, length(tag) - 2);',
  'if (index(tag, prefix) != 1) next;',
  'host = substr(tag, length(prefix) + 1);',
  'if (only != "" ? host != only : index(keep, " " host " ") != 0) next;',
  'if (host !~ "^[a-z0-9.-]+$") { print "refusing to remove a rule it cannot read safely: " $0 > "/dev/stderr"; failed = 1; next }',
  'spec = "";',
  'for (i = 2; i < NF - 1; i++) {',
  `if ($i !~ "${RULE_WORD}") { print "refusing to remove a rule it cannot read safely: " $0 > "/dev/stderr"; failed = 1; next }`,
  'spec = spec (spec == "" ? "" : " ") $i',
  '}',
  'print spec',
  '}',
  'END { exit failed }',
].join(' ');

function removeTaggedRules(firewall: ResolvedFirewall, selection: { only: string; keep: readonly string[] }): string[] {
  const awk = shellWords(['awk', '-v', `prefix=${FIREWALL_TAG_PREFIX}`, '-v', `only=${selection.only}`, '-v', `keep= ${selection.keep.join(' ')} `, SELECT_TAGGED_RULES]);
  return [
    // The specs are split into words below: no globbing of them.
    'set -f',
    `added=$(${privileged(firewall, ['ufw', 'show', 'added'])})`,
    `specs=$(printf '%s\\n' "$added" | ${awk})`,
    'while IFS= read -r spec; do',
    '  [ -n "$spec" ] || continue',
    '  # shellcheck disable=SC2086 # the awk program let through only words of letters, digits and _ . : / , -',
    `  ${privileged(firewall, ['ufw', '--force', 'delete'])} $spec`,
    'done <<EOF',
    '$specs',
    'EOF',
  ];
}

export function renderUfwRemoveCommand(firewall: ResolvedFirewall, hostName: string): string {
  return renderFirewallCommand(`Remove the firewall rules of ${hostName} (ufw comment ${firewallTag(hostName)})`, removeTaggedRules(firewall, { only: hostName, keep: [] }));
}

export function renderUfwRetireCommand(firewall: ResolvedFirewall, hostNames: readonly string[]): string {
  return renderFirewallCommand('Close the ports of hosts removed from hosts.ts (ufw rules tagged by restic-backup-server)', removeTaggedRules(firewall, { only: '', keep: hostNames }));
}

export const ufw: FirewallBackend = {
  kind: 'ufw',
  hostRules: (server, host) => ({ apply: renderUfwApplyCommand(server.firewall, host), remove: renderUfwRemoveCommand(server.firewall, host.name) }),
  serverSteps: (server, hostNames) => ({ retireRemovedHosts: renderUfwRetireCommand(server.firewall, hostNames) }),
};
