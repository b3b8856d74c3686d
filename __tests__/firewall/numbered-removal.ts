/**
 * The removal of earlier versions (up to commit a55ae8f), kept only to show that the race tests can
 * fail: it listed the rules, computed the numbers of the tagged ones, then deleted by number. A rule
 * inserted between the listing and the deletions shifts the numbers, and other rules go instead.
 */
import { shellWords } from '../../lib/shell/quote';
import { FIREWALL_TAG_PREFIX } from '../../lib/firewall/firewall-backend';

/** The old iptables retire step: close the ports of every tagged host not in `keep`. */
export function numberedIptablesRetire(prefix: readonly string[], keep: readonly string[]): string {
  const program = [
    'NR > 1 {',
    'for (i = 1; i < NF; i++) {',
    'if ($i != "--comment") continue;',
    'tag = $(i + 1); gsub(/"/, "", tag);',
    'if (index(tag, prefix) != 1) continue;',
    'host = substr(tag, length(prefix) + 1);',
    'if (index(keep, " " host " ") == 0) print NR - 1',
    '} }',
  ].join(' ');
  const tool = `${shellWords([...prefix])} "$tool"`;
  const awk = shellWords(['awk', '-v', `prefix=${FIREWALL_TAG_PREFIX}`, '-v', `keep= ${keep.join(' ')} `, program]);
  return [
    'set -eu',
    'for tool in iptables ip6tables; do',
    `  rules=$(${tool} -w -S INPUT)`,
    `  numbers=$(printf '%s\\n' "$rules" | ${awk} | sort -rn)`,
    '  for number in $numbers; do',
    `    ${tool} -w -D INPUT "$number"`,
    '  done',
    'done',
  ].join('\n');
}

/** The old ufw retire step, by the numbers of `ufw status numbered`. */
export function numberedUfwRetire(prefix: readonly string[], keep: readonly string[]): string {
  const program = [
    '/^\\[ *[0-9]+\\]/ {',
    'at = index($0, "# " prefix);',
    'if (at == 0) next;',
    'host = substr($0, at + 2 + length(prefix)); sub(/ .*/, "", host);',
    'number = $0; sub(/^\\[ */, "", number); sub(/\\].*/, "", number);',
    'if (index(keep, " " host " ") == 0) print number',
    '}',
  ].join(' ');
  const awk = shellWords(['awk', '-v', `prefix=${FIREWALL_TAG_PREFIX}`, '-v', `keep= ${keep.join(' ')} `, program]);
  return [
    'set -eu',
    `status=$(${shellWords([...prefix, 'ufw', 'status', 'numbered'])})`,
    `numbers=$(printf '%s\\n' "$status" | ${awk} | sort -rn)`,
    'for number in $numbers; do',
    `  ${shellWords([...prefix, 'ufw', '--force', 'delete'])} "$number"`,
    'done',
  ].join('\n');
}
