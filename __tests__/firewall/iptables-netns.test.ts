/**
 * iptables/ip6tables for real, inside a network namespace: the commands exactly as synthesized,
 * applied, changed, removed and destroyed by the test applier (Terraform's rules: a replaced step
 * runs its old destroy command first), with TCP connections from allowed and other addresses after
 * each step.
 */
import { describeAsRootWithTools } from '../support/tools';
import type { Synthesized } from './firewall-only';
import { A, B, EVERYONE, expectServerReachesOnlyMinioPorts, PORT_A, PORT_B, PORT_B_MOVED, PORT_UNRELATED, allow, createCommand, expected, probesOf, run, touched, useBench } from './scenario';

const APPLY_A = 'null_resource.hosts_ahost_example_com_firewall_apply';
const APPLY_B = 'null_resource.hosts_bhost_example_com_firewall_apply';
const RETIRE = 'null_resource.firewall_retire-removed-hosts';

describeAsRootWithTools(['ip', 'iptables', 'ip6tables'], 'iptables rules in a network namespace', () => {
  const bench = useBench('iptables', 'i');
  let deployed: Synthesized | undefined;
  const inServer = (command: string): string => run(`ip netns exec ${bench().pair.server} ${command}`);
  const rules = (): string => inServer('iptables -w -S INPUT') + inServer('ip6tables -w -S INPUT');
  const tagged = (host: string): string[] => rules().split('\n').filter((line) => line.includes(`restic-backup-server:${host}"`));
  let operatorRules = '';

  beforeAll(() => {
    for (const tool of ['iptables', 'ip6tables']) inServer(`${tool} -w -A INPUT -p tcp --dport 9005 -m comment --comment 'operator rule' -j DROP`);
    operatorRules = rules();
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
      created: [RETIRE, APPLY_A, APPLY_B].sort(),
      replaced: [],
      destroyed: [],
      provisioners: [`create ${RETIRE}`, `create ${APPLY_A}`, `create ${APPLY_B}`],
    });
    expect(tagged(A)).toHaveLength(6); // ACCEPT, loopback ACCEPT (minio) and DROP, IPv4 and IPv6
    expect(tagged(B)).toHaveLength(4); // loopback ACCEPT and DROP
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B), ...probesOf(pair, 'other', PORT_UNRELATED) })).toEqual({
      ...expected('A', ['.2', '::2']),
      ...expected('B', []),
      ...expected('other', EVERYONE),
    });
  });

  test("a minio host's port stays open to the server itself (its replica_sync reads through the S3 API), even with no allowFrom; a rest-server host's does not", async () => {
    await expectServerReachesOnlyMinioPorts(bench(), deployed!);
  });

  test('applying the same commands again adds no rule (check before add)', () => {
    const before = rules();
    run(createCommand(deployed!, APPLY_A));
    run(createCommand(deployed!, APPLY_B));
    expect(rules()).toBe(before);
  });

  test('changed allowFrom and port: the old rules go (old destroy command), the new ones come, traffic follows', async () => {
    const { pair } = bench();
    const next = bench().synth([
      { name: A, port: PORT_A, allowFrom: allow(pair, 1) },
      { name: B, port: PORT_B_MOVED, allowFrom: ['10.77.0.0/24'] },
    ]);
    const report = await bench().apply(next);
    deployed = next;
    expect(touched(report)).toEqual({
      created: [],
      replaced: [APPLY_A, APPLY_B],
      destroyed: [],
      provisioners: [`destroy ${APPLY_B}`, `destroy ${APPLY_A}`, `create ${APPLY_A}`, `create ${APPLY_B}`],
    });
    expect(tagged(A)).toHaveLength(6);
    expect(tagged(B)).toHaveLength(5); // one IPv4 ACCEPT, loopback ACCEPT and DROP in both families
    expect(tagged(B).join('\n')).not.toContain(`--dports ${PORT_B} `);
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
    // A's block is gone, so its destroy command does not run: the retire step (changed, as it lists
    // the remaining hosts) removes A's rules.
    expect(touched(report)).toEqual({ created: [], replaced: [RETIRE], destroyed: [APPLY_A], provisioners: [`create ${RETIRE}`] });
    expect(tagged(A)).toEqual([]);
    expect(tagged(B)).toHaveLength(5);
    expect(await bench().probe({ ...probesOf(pair, 'A', PORT_A), ...probesOf(pair, 'B', PORT_B_MOVED) })).toEqual({
      ...expected('A', EVERYONE),
      ...expected('B', ['.2', '.3']),
    });
  });

  test('destroying the server removes every rule of this project and only those', async () => {
    const report = await bench().destroy(deployed!);
    deployed = undefined;
    expect([...report.destroyed].sort()).toEqual([APPLY_B, RETIRE].sort());
    expect(report.provisioners.map(({ when, address }) => `${when} ${address}`)).toEqual([`destroy ${APPLY_B}`]);
    expect(rules()).toBe(operatorRules);
  });

  test('on a server that drops by default, the ACCEPT rules open the port to allowFrom, and removal closes it', async () => {
    const { pair } = bench();
    for (const tool of ['iptables', 'ip6tables']) inServer(`${tool} -w -P INPUT DROP`);
    try {
      const opened = bench().synth([{ name: A, port: PORT_A, allowFrom: allow(pair, 0) }]);
      expect((await bench().apply(opened)).created).toHaveLength(2);
      expect(await bench().probe(probesOf(pair, 'A', PORT_A))).toEqual(expected('A', ['.2', '::2']));
      expect(touched(await bench().apply(bench().synth([])))).toEqual({ created: [], replaced: [RETIRE], destroyed: [APPLY_A], provisioners: [`create ${RETIRE}`] });
      expect(await bench().probe(probesOf(pair, 'A', PORT_A))).toEqual(expected('A', []));
    } finally {
      for (const tool of ['iptables', 'ip6tables']) inServer(`${tool} -w -P INPUT ACCEPT`);
    }
  });
});
