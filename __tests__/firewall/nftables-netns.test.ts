/**
 * nftables for real, inside a network namespace: the rule files and commands exactly as
 * synthesized, applied, changed and removed the way Terraform would, with TCP connections from
 * allowed and other addresses (IPv4 and IPv6) after each step.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describeAsRootWithTools } from '../support/tools';
import { apply, createCommand, destroyAll, run, type Synthesized } from './terraform-sim';
import { A, B, EVERYONE, PORT_A, PORT_B, PORT_B_MOVED, PORT_UNRELATED, TABLE, allow, expected, probesOf, useBench } from './scenario';

describeAsRootWithTools(['ip', 'nft'], 'nftables rules in a network namespace', () => {
  const bench = useBench('nftables', 'n');
  let deployed: Synthesized | undefined;
  const inServer = (command: string): string => run(`ip netns exec ${bench().pair.server} ${command}`);
  // The operator's own ruleset, which this project must never touch.
  const OPERATOR_TABLE = `table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 9005 drop\n\t}\n}\n`;

  beforeAll(() => {
    run(`printf '%s' '${OPERATOR_TABLE}' | ip netns exec ${bench().pair.server} nft -f -`);
  });

  test('before any rule, every address reaches every port', async () => {
    const { pair } = bench();
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B) })).toEqual({ ...expected('A', EVERYONE), ...expected('B', EVERYONE) });
  });

  test('applied: A only from its allowFrom, B (no allowFrom) from nobody, other ports untouched', async () => {
    const { pair } = bench();
    const next = bench().synth([
      { name: A, port: PORT_A, allowFrom: allow(pair, 0) },
      { name: B, port: PORT_B },
    ]);
    apply(deployed, next);
    deployed = next;
    expect(readdirSync(bench().ruleDirectory).sort()).toEqual([`${TABLE}-${A}.nft`, `${TABLE}-${B}.nft`]);
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B), ...probesOf(pair, 'other', PORT_UNRELATED) })).toEqual({
      ...expected('A', ['.2', '::2']),
      ...expected('B', []),
      ...expected('other', EVERYONE),
    });
    expect(inServer('nft list table inet filter')).toBe(OPERATOR_TABLE);
  });

  test('applying the same configuration again changes nothing (nft -f is idempotent)', () => {
    const before = inServer(`nft list table inet ${TABLE}`);
    run(createCommand(deployed!.resource.null_resource!['hosts_ahost_example_com_firewall_apply']!));
    expect(inServer(`nft list table inet ${TABLE}`)).toBe(before);
  });

  test('changed allowFrom and port: only those hosts rules are replaced, traffic follows', async () => {
    const { pair } = bench();
    const next = bench().synth([
      { name: A, port: PORT_A, allowFrom: allow(pair, 1) },
      { name: B, port: PORT_B_MOVED, allowFrom: ['10.77.0.0/24'] },
    ]);
    const touched = apply(deployed, next);
    deployed = next;
    expect(touched.sort()).toEqual([
      'local_file.hosts_ahost_example_com_firewall_rules',
      'local_file.hosts_bhost_example_com_firewall_rules',
      'null_resource.hosts_ahost_example_com_firewall_apply',
      'null_resource.hosts_bhost_example_com_firewall_apply',
    ]);
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B moved', PORT_B_MOVED), ...probesOf(pair, 'B old port', PORT_B) })).toEqual({
      ...expected('A', ['.3', '::3']),
      ...expected('B moved', ['.2', '.3']),
      ...expected('B old port', EVERYONE),
    });
  });

  test('a host removed from hosts.ts loses its rules (no destroy provisioner runs: the retire step does it)', async () => {
    const { pair } = bench();
    const next = bench().synth([{ name: B, port: PORT_B_MOVED, allowFrom: ['10.77.0.0/24'] }]);
    apply(deployed, next);
    deployed = next;
    expect(existsSync(`${bench().ruleDirectory}/${TABLE}-${A}.nft`)).toBe(false);
    const table = inServer(`nft list table inet ${TABLE}`);
    expect(table).not.toContain(`h_${A}`);
    expect(table).toContain(`h_${B}`);
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B_MOVED) })).toEqual({
      ...expected('A', EVERYONE),
      ...expected('B', ['.2', '.3']),
    });
    expect(inServer('nft list table inet filter')).toBe(OPERATOR_TABLE);
  });

  test('destroying the server deletes the table and leaves the operator table as it was', async () => {
    const { pair } = bench();
    destroyAll(deployed!);
    deployed = undefined;
    expect(inServer('nft list tables')).toBe('table inet filter\n');
    expect(inServer('nft list table inet filter')).toBe(OPERATOR_TABLE);
    expect(await bench().probe(probesOf(pair, 'B', PORT_B_MOVED))).toEqual(expected('B', EVERYONE));
  });
});
