/**
 * firewalld: one rich rule per allowed network and port, added to the permanent and the runtime
 * configuration of the default zone. Rich rules carry no comment, so the rules a host added are
 * recorded, one per line, in `<root>/conf/firewall/<host>.rich-rules`; removing reads that record.
 * firewalld denies incoming connections by default, so a host without allowFrom needs no rule.
 */
import type { ResolvedFirewall, ResolvedHost, ResolvedServer } from '../config/resolve';
import { serverPaths } from '../layout/paths';
import { MAX_SEGMENT_BYTES, pathLimitProblem, shortenPath } from '../layout/path-limits';
import { shellQuote as q } from '../shell/quote';
import { renderFirewallCommand } from './lock';
import { describeOpening, guardedPorts, privileged, type FirewallBackend } from './firewall-backend';

export const RICH_RULES_SUFFIX = '.rich-rules';

export function firewalldRecord(server: ResolvedServer, hostName: string): string {
  return `${serverPaths(server.root).firewallState}/${hostName}${RICH_RULES_SUFFIX}`;
}

export function firewalldRichRules(host: ResolvedHost): string[] {
  return host.allowFrom.flatMap((cidr) =>
    guardedPorts(host).map((port) => `rule family="${cidr.includes(':') ? 'ipv6' : 'ipv4'}" source address="${cidr}" port port="${port}" protocol="tcp" accept`),
  );
}

export function renderFirewalldApplyCommand(server: ResolvedServer, host: ResolvedHost): string {
  const firewall = server.firewall;
  const rules = firewalldRichRules(host);
  const record = firewalldRecord(server, host.name);
  return renderFirewallCommand(`Firewall rules of ${describeOpening(host)}`, [
    `${privileged(firewall, ['install', '-d', '-m', '0750', serverPaths(server.root).firewallState])}`,
    // Recorded first, so that rules of a half-finished run are removed too.
    rules.length > 0
      ? `printf '%s\\n' ${rules.map(q).join(' ')} | ${privileged(firewall, ['tee', record])} >/dev/null`
      : `${privileged(firewall, ['tee', record])} </dev/null >/dev/null`,
    ...rules.flatMap((rule) => [
      `${privileged(firewall, ['firewall-cmd', '--permanent', `--add-rich-rule=${rule}`])} >/dev/null`,
      `${privileged(firewall, ['firewall-cmd', `--add-rich-rule=${rule}`])} >/dev/null`,
    ]),
  ]);
}

/** Shell lines removing the rules recorded in "$record", then the record. */
function removeRecordedRules(firewall: ResolvedFirewall, indent: string): string[] {
  return [
    `if ${privileged(firewall, ['test', '-f'])} "$record"; then`,
    `  recorded=$(${privileged(firewall, ['cat'])} "$record")`,
    '  printf \'%s\\n\' "$recorded" | while IFS= read -r rule; do',
    '    [ -n "$rule" ] || continue',
    `    ${privileged(firewall, ['firewall-cmd', '--permanent'])} --remove-rich-rule="$rule" >/dev/null`,
    `    ${privileged(firewall, ['firewall-cmd'])} --remove-rich-rule="$rule" >/dev/null`,
    '  done',
    `  ${privileged(firewall, ['rm', '-f'])} "$record"`,
    'fi',
  ].map((line) => `${indent}${line}`);
}

export function renderFirewalldRemoveCommand(server: ResolvedServer, hostName: string): string {
  return renderFirewallCommand(`Remove the firewall rules of ${hostName} (firewalld rich rules recorded in ${firewalldRecord(server, hostName)})`, [
    `record=${q(firewalldRecord(server, hostName))}`,
    ...removeRecordedRules(server.firewall, ''),
  ]);
}

export function renderFirewalldRetireCommand(server: ResolvedServer, hostNames: readonly string[]): string {
  return renderFirewallCommand('Close the ports of hosts removed from hosts.ts (firewalld rich rules recorded by restic-backup-server)', [
    `desired=${q(` ${hostNames.join(' ')} `)}`,
    `for record in ${q(serverPaths(server.root).firewallState)}/*${RICH_RULES_SUFFIX}; do`,
    '  [ -f "$record" ] || continue',
    '  name=${record##*/}',
    `  name=\${name%${RICH_RULES_SUFFIX}}`,
    '  case "$desired" in *" $name "*) continue ;; esac',
    '  echo "closing the ports of $name: it is no longer in hosts.ts" >&2',
    ...removeRecordedRules(server.firewall, '  '),
    'done',
  ]);
}

/** The record `<root>/conf/firewall/<host>.rich-rules` must fit the file system's limits. */
export function firewalldHostProblems(server: ResolvedServer, hostName: string): string[] {
  const name = `${hostName}${RICH_RULES_SUFFIX}`;
  if (Buffer.byteLength(name) > MAX_SEGMENT_BYTES) {
    return [`a host name of at most ${MAX_SEGMENT_BYTES - RICH_RULES_SUFFIX.length} characters with firewall "firewalld": its record file name "<host>${RICH_RULES_SUFFIX}" has ${Buffer.byteLength(name)} bytes; a file name has at most ${MAX_SEGMENT_BYTES}`];
  }
  const record = firewalldRecord(server, hostName);
  const problem = pathLimitProblem(record);
  return problem === undefined ? [] : [`a host name whose firewalld record fits (or a shorter server.root): "${shortenPath(record)}": ${problem}`];
}

export const firewalld: FirewallBackend = {
  kind: 'firewalld',
  hostRules: (server, host) => ({ apply: renderFirewalldApplyCommand(server, host), remove: renderFirewalldRemoveCommand(server, host.name) }),
  serverSteps: (server, hostNames) => ({ retireRemovedHosts: renderFirewalldRetireCommand(server, hostNames) }),
  hostProblems: (server, host) => firewalldHostProblems(server, host.name),
};
