import { resolveConfig, validateConfig, DEFAULT_NFTABLES_DIRECTORY, DEFAULT_NFTABLES_TABLE } from '../../lib';

const withFirewall = (firewall: unknown) => ({ server: { serverName: 'backup.example.com', firewall }, hosts: [] });
const problemsOf = (firewall: unknown) => validateConfig(withFirewall(firewall)).map((p) => `${p.field}: ${p.allowed}`);

describe('firewall configuration', () => {
  test('defaults: nftables, no command prefix, /etc/nftables.d, table restic_backup_server', () => {
    expect(resolveConfig({ server: { serverName: 'backup.example.com' }, hosts: [] }).server.firewall).toEqual({
      backend: 'nftables',
      commandPrefix: [],
      nftables: { ruleDirectory: DEFAULT_NFTABLES_DIRECTORY, table: DEFAULT_NFTABLES_TABLE },
    });
    expect(DEFAULT_NFTABLES_DIRECTORY).toBe('/etc/nftables.d');
  });

  test('every field is taken; the prefix is split into words', () => {
    const config = resolveConfig(withFirewall({ backend: 'ufw', commandPrefix: 'sudo -n', nftables: { ruleDirectory: '/etc/nftables', table: 'backups' } }));
    expect(config.server.firewall).toEqual({ backend: 'ufw', commandPrefix: ['sudo', '-n'], nftables: { ruleDirectory: '/etc/nftables', table: 'backups' } });
  });

  test.each(['nftables', 'ufw', 'firewalld', 'iptables', 'none'])('backend %s is allowed', (backend) => {
    expect(problemsOf({ backend })).toEqual([]);
  });

  test('an unknown backend names the allowed ones', () => {
    expect(problemsOf({ backend: 'pf' })).toEqual(['server.firewall.backend: one of "nftables", "ufw", "firewalld", "iptables", "none"']);
  });

  test.each(['sudo  -n', ' sudo', 'sudo;reboot', 'doas $(id)', 'sudo\n-n'])('command prefix %j is refused with what is allowed', (commandPrefix) => {
    expect(problemsOf({ commandPrefix })).toEqual([expect.stringMatching(/^server\.firewall\.commandPrefix: words of letters, digits .*\(such as "sudo -n"\), or "" for none$/)]);
  });

  test('an empty command prefix means none', () => {
    expect(problemsOf({ commandPrefix: '' })).toEqual([]);
    expect(resolveConfig(withFirewall({ commandPrefix: '' })).server.firewall.commandPrefix).toEqual([]);
  });

  test.each(['1table', 'my-table', 'a'.repeat(33), ''])('nftables table %j is refused', (table) => {
    expect(problemsOf({ nftables: { table } })).toEqual([expect.stringMatching(/^server\.firewall\.nftables\.table: an nftables name/)]);
  });

  test('a relative rule directory and a misspelt field are refused', () => {
    expect(problemsOf({ nftables: { ruleDirectory: 'nftables.d' }, comandPrefix: 'sudo' })).toEqual([
      expect.stringMatching(/^server\.firewall\.nftables\.ruleDirectory: an absolute, normalised path.*relative$/),
      expect.stringMatching(/^server\.firewall\.comandPrefix: only the documented fields/),
    ]);
  });
});
