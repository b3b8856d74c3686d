/**
 * nftables: one `inet` table of this project; in it one base chain per host, named `h_<host>`,
 * hooked into input. A host's rule file declares its chain, empties it and fills it, so `nft -f`
 * replaces exactly that host's rules in one transaction, and the same file loads the rules at boot.
 * Base chains are independent: a host's chain drops what reaches its ports from elsewhere and
 * leaves every other packet to the rest of the ruleset. Other tables are never touched.
 */
import type { ResolvedFirewall, ResolvedHost } from '../config/resolve';
import { nftablesRuleFile } from '../layout/paths';
import { MAX_SEGMENT_BYTES, pathLimitProblem, shortenPath } from '../layout/path-limits';
import { shellQuote as q } from '../shell/quote';
import { GENERATED_NOTICE } from '../render/script';
import { renderFirewallCommand } from './lock';
import { describeOpening, guardedPorts, loopbackPorts, networksByFamily, privileged, type FirewallBackend } from './firewall-backend';

/** Base chains of hosts start with this; the rest of the table's chains are left alone. */
export const NFTABLES_CHAIN_PREFIX = 'h_';

export function nftablesChain(hostName: string): string {
  return `${NFTABLES_CHAIN_PREFIX}${hostName}`;
}

export function renderNftablesRuleFile(firewall: ResolvedFirewall, host: ResolvedHost): string {
  const { table } = firewall.nftables;
  const chain = nftablesChain(host.name);
  const ports = `tcp dport { ${guardedPorts(host).join(', ')} }`;
  const { ipv4, ipv6 } = networksByFamily(host.allowFrom);
  const loopback = loopbackPorts(host);
  const rules = [
    ...(loopback.length > 0 ? [`tcp dport { ${loopback.join(', ')} } iifname "lo" accept`] : []),
    ...(ipv4.length > 0 ? [`${ports} ip saddr { ${ipv4.join(', ')} } accept`] : []),
    ...(ipv6.length > 0 ? [`${ports} ip6 saddr { ${ipv6.join(', ')} } accept`] : []),
    `${ports} drop`,
  ];
  return [
    `# ${describeOpening(host)}`,
    `# ${GENERATED_NOTICE}`,
    '# Declare the chain (a no-op if it exists), empty it, fill it: nft -f applies all of it at once.',
    `table inet ${table} {`,
    `\tchain ${chain} {`,
    '\t\ttype filter hook input priority filter; policy accept;',
    '\t}',
    '}',
    `flush chain inet ${table} ${chain}`,
    `table inet ${table} {`,
    `\tchain ${chain} {`,
    ...rules.map((rule) => `\t\t${rule}`),
    '\t}',
    '}',
    '',
  ].join('\n');
}

export function renderNftablesLoadCommand(firewall: ResolvedFirewall, host: ResolvedHost, ruleFile: string): string {
  return renderFirewallCommand(`Load the firewall rules of ${describeOpening(host)}`, [privileged(firewall, ['nft', '-f', ruleFile])]);
}

export function renderNftablesSetupCommand(firewall: ResolvedFirewall): string {
  const { table } = firewall.nftables;
  return renderFirewallCommand(`Create the nftables table ${table} of restic-backup-server`, [privileged(firewall, ['nft', 'add', 'table', 'inet', table])]);
}

/** Runs only when the server is destroyed: the table goes with every rule in it. */
export function renderNftablesTeardownCommand(firewall: ResolvedFirewall): string {
  const { table } = firewall.nftables;
  return renderFirewallCommand(`Delete the nftables table ${table} of restic-backup-server`, [
    `if ${privileged(firewall, ['nft', 'list', 'table', 'inet', table])} >/dev/null 2>&1; then`,
    `  ${privileged(firewall, ['nft', 'delete', 'table', 'inet', table])}`,
    'fi',
  ]);
}

/** Deletes, in one transaction, the chain of every host of the table that is not in hosts.ts. */
export function renderNftablesRetireCommand(firewall: ResolvedFirewall, hostNames: readonly string[]): string {
  const { table } = firewall.nftables;
  return renderFirewallCommand(`Close the ports of hosts removed from hosts.ts (nftables table ${table})`, [
    `desired=${q(` ${hostNames.map(nftablesChain).join(' ')} `)}`,
    `if ruleset=$(${privileged(firewall, ['nft', 'list', 'table', 'inet', table])} 2>/dev/null); then`,
    `  batch=$(printf '%s\\n' "$ruleset" | sed -n ${q(`s/^[[:space:]]*chain \\(${NFTABLES_CHAIN_PREFIX}[^ ]*\\) {$/\\1/p`)} | while read -r chain; do`,
    '    case "$desired" in *" $chain "*) continue ;; esac',
    `    echo "closing the ports of \${chain#${NFTABLES_CHAIN_PREFIX}}: it is no longer in hosts.ts" >&2`,
    `    printf 'flush chain inet %s %s\\ndelete chain inet %s %s\\n' ${q(table)} "$chain" ${q(table)} "$chain"`,
    '  done)',
    '  if [ -n "$batch" ]; then',
    `    printf '%s\\n' "$batch" | ${privileged(firewall, ['nft', '-f', '-'])}`,
    '  fi',
    'fi',
  ]);
}

/**
 * The rule file `<table>-<host>.nft` must be a name of at most 255 bytes in a path of at most 4,095.
 * The chain `h_<host>` needs no check: 2 + 253 characters fit nftables' 255.
 */
export function nftablesHostProblems(firewall: ResolvedFirewall, hostName: string): string[] {
  const { ruleDirectory, table } = firewall.nftables;
  const path = nftablesRuleFile(ruleDirectory, table, hostName);
  const name = path.slice(ruleDirectory.length + 1);
  if (Buffer.byteLength(name) > MAX_SEGMENT_BYTES) {
    const longest = MAX_SEGMENT_BYTES - (name.length - hostName.length);
    return [`a host name of at most ${longest} characters with firewall "nftables" and table "${table}": its rule file name "${table}-<host>.nft" has ${Buffer.byteLength(name)} bytes; a file name has at most ${MAX_SEGMENT_BYTES}`];
  }
  const problem = pathLimitProblem(path);
  return problem === undefined ? [] : [`a host name whose nftables rule file fits (or a shorter firewall.nftables.ruleDirectory): "${shortenPath(path)}": ${problem}`];
}

export const nftables: FirewallBackend = {
  kind: 'nftables',
  hostRules(server, host) {
    const path = nftablesRuleFile(server.firewall.nftables.ruleDirectory, server.firewall.nftables.table, host.name);
    return {
      ruleFile: { path, content: renderNftablesRuleFile(server.firewall, host) },
      apply: renderNftablesLoadCommand(server.firewall, host, path),
    };
  },
  serverSteps(server, hostNames) {
    return {
      setup: { command: renderNftablesSetupCommand(server.firewall), onDestroy: renderNftablesTeardownCommand(server.firewall) },
      retireRemovedHosts: renderNftablesRetireCommand(server.firewall, hostNames),
    };
  },
  hostProblems: (server, host) => nftablesHostProblems(server.firewall, host.name),
};
