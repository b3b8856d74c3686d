/**
 * nftables for real, inside a network namespace: the rule files and commands exactly as
 * synthesized, applied, changed, removed and destroyed by the test applier (Terraform's rules and
 * template escapes), with TCP connections from allowed and other addresses (IPv4 and IPv6) after
 * each step.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describeAsRootWithTools } from '../support/tools';
import type { Synthesized } from './firewall-only';
import { A, B, EVERYONE, expectServerReachesOnlyMinioPorts, PORT_A, PORT_B, PORT_B_MOVED, PORT_UNRELATED, TABLE, allow, createCommand, expected, probesOf, run, touched, useBench } from './scenario';

const RULES_A = 'local_file.hosts_ahost_example_com_firewall_rules';
const RULES_B = 'local_file.hosts_bhost_example_com_firewall_rules';
const APPLY_A = 'null_resource.hosts_ahost_example_com_firewall_apply';
const APPLY_B = 'null_resource.hosts_bhost_example_com_firewall_apply';
const SETUP = 'null_resource.firewall_setup';
const RETIRE = 'null_resource.firewall_retire-removed-hosts';

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
    const report = await bench().apply(next);
    deployed = next;
    expect(touched(report)).toEqual({
      created: [RULES_A, RULES_B, RETIRE, SETUP, APPLY_A, APPLY_B].sort(),
      replaced: [],
      destroyed: [],
      provisioners: [`create ${SETUP}`, `create ${RETIRE}`, `create ${APPLY_A}`, `create ${APPLY_B}`],
    });
    expect(readdirSync(bench().ruleDirectory).sort()).toEqual([`${TABLE}-${A}.nft`, `${TABLE}-${B}.nft`]);
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B), ...probesOf(pair, 'other', PORT_UNRELATED) })).toEqual({
      ...expected('A', ['.2', '::2']),
      ...expected('B', []),
      ...expected('other', EVERYONE),
    });
    expect(inServer('nft list table inet filter')).toBe(OPERATOR_TABLE);
  });

  test("a minio host's port stays open to the server itself (its replica_sync reads through the S3 API), even with no allowFrom; a rest-server host's does not", async () => {
    await expectServerReachesOnlyMinioPorts(bench(), deployed!);
  });

  test('applying the same configuration again changes nothing (nft -f is idempotent)', () => {
    const before = inServer(`nft list table inet ${TABLE}`);
    run(createCommand(deployed!, APPLY_A));
    expect(inServer(`nft list table inet ${TABLE}`)).toBe(before);
  });

  test('changed allowFrom and port: only those hosts rules are replaced, traffic follows', async () => {
    const { pair } = bench();
    const next = bench().synth([
      { name: A, port: PORT_A, allowFrom: allow(pair, 1) },
      { name: B, port: PORT_B_MOVED, allowFrom: ['10.77.0.0/24'] },
    ]);
    const report = await bench().apply(next);
    deployed = next;
    expect(touched(report)).toEqual({
      created: [],
      replaced: [RULES_A, RULES_B, APPLY_A, APPLY_B].sort(),
      destroyed: [],
      provisioners: [`create ${APPLY_A}`, `create ${APPLY_B}`],
    });
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B moved', PORT_B_MOVED), ...probesOf(pair, 'B old port', PORT_B) })).toEqual({
      ...expected('A', ['.3', '::3']),
      ...expected('B moved', ['.2', '.3']),
      ...expected('B old port', EVERYONE),
    });
  });

  test('a host removed from hosts.ts loses its rules (no destroy provisioner runs: the retire step does it)', async () => {
    const { pair } = bench();
    const next = bench().synth([{ name: B, port: PORT_B_MOVED, allowFrom: ['10.77.0.0/24'] }]);
    const report = await bench().apply(next);
    deployed = next;
    // The retire step lists the remaining hosts, so it runs again; A's blocks are gone, so no
    // destroy-time provisioner of A's runs.
    expect(touched(report)).toEqual({ created: [], replaced: [RETIRE], destroyed: [APPLY_A, RULES_A].sort(), provisioners: [`create ${RETIRE}`] });
    // Its message comes from shell text Terraform receives escaped (`$${chain#h_}`).
    expect(report.provisioners[0]!.output).toBe(`closing the ports of ${A}: it is no longer in hosts.ts\n`);
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
    const report = await bench().destroy(deployed!);
    deployed = undefined;
    expect([...report.destroyed].sort()).toEqual([RULES_B, APPLY_B, SETUP, RETIRE].sort());
    expect(report.provisioners.map(({ when, address }) => `${when} ${address}`)).toEqual([`destroy ${SETUP}`]);
    expect(readdirSync(bench().ruleDirectory)).toEqual([]);
    expect(inServer('nft list tables')).toBe('table inet filter\n');
    expect(inServer('nft list table inet filter')).toBe(OPERATOR_TABLE);
    expect(await bench().probe(probesOf(pair, 'B', PORT_B_MOVED))).toEqual(expected('B', EVERYONE));
  });
});
