/**
 * ufw: one `allow` rule per allowed network, with the comment `restic-backup-server:<host>`. ufw
 * denies incoming connections by default, so a host without allowFrom needs no rule; ufw skips a
 * rule that exists already. Removing deletes, by number, exactly the rules carrying the tag.
 */
import type { ResolvedFirewall, ResolvedHost } from '../config/resolve';
import { shellWords } from '../shell/quote';
import { renderCommand } from '../render/script';
import { FIREWALL_TAG_PREFIX, describeOpening, firewallTag, guardedPorts, privileged, type FirewallBackend } from './firewall-backend';

export function renderUfwApplyCommand(firewall: ResolvedFirewall, host: ResolvedHost): string {
  const ports = guardedPorts(host).join(',');
  const rules = host.allowFrom.map((cidr) =>
    privileged(firewall, ['ufw', 'allow', 'proto', 'tcp', 'from', cidr, 'to', 'any', 'port', ports, 'comment', firewallTag(host.name)]),
  );
  return renderCommand(`Firewall rules of ${describeOpening(host)}`, rules.length > 0 ? rules : [`echo ${shellWords([`${host.name}: no allowFrom, nothing to open`])}`]);
}

/**
 * awk over `ufw status numbered`: prints the number of every rule tagged by this project whose host
 * is `only`, or, with `only` empty, is not in `keep`.
 */
const SELECT_TAGGED_RULES = [
  '/^\\[ *[0-9]+\\]/ {',
  'at = index($0, "# " prefix);',
  'if (at == 0) next;',
  'host = substr($0, at + 2 + length(prefix)); sub(/ .*/, "", host);',
  'number = $0; sub(/^\\[ */, "", number); sub(/\\].*/, "", number);',
  'if (only != "" ? host == only : index(keep, " " host " ") == 0) print number',
  '}',
].join(' ');

function removeTaggedRules(firewall: ResolvedFirewall, selection: { only: string; keep: readonly string[] }): string[] {
  const awk = shellWords(['awk', '-v', `prefix=${FIREWALL_TAG_PREFIX}`, '-v', `only=${selection.only}`, '-v', `keep= ${selection.keep.join(' ')} `, SELECT_TAGGED_RULES]);
  return [
    `status=$(${privileged(firewall, ['ufw', 'status', 'numbered'])})`,
    `numbers=$(printf '%s\\n' "$status" | ${awk} | sort -rn)`,
    'for number in $numbers; do',
    `  ${privileged(firewall, ['ufw', '--force', 'delete'])} "$number"`,
    'done',
  ];
}

export function renderUfwRemoveCommand(firewall: ResolvedFirewall, hostName: string): string {
  return renderCommand(`Remove the firewall rules of ${hostName} (ufw comment ${firewallTag(hostName)})`, removeTaggedRules(firewall, { only: hostName, keep: [] }));
}

export function renderUfwRetireCommand(firewall: ResolvedFirewall, hostNames: readonly string[]): string {
  return renderCommand('Close the ports of hosts removed from hosts.ts (ufw rules tagged by restic-backup-server)', removeTaggedRules(firewall, { only: '', keep: hostNames }));
}

export const ufw: FirewallBackend = {
  kind: 'ufw',
  hostRules: (server, host) => ({ apply: renderUfwApplyCommand(server.firewall, host), remove: renderUfwRemoveCommand(server.firewall, host.name) }),
  serverSteps: (server, hostNames) => ({ retireRemovedHosts: renderUfwRetireCommand(server.firewall, hostNames) }),
};
