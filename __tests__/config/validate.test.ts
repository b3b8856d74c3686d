import { ConfigError, formatProblem, resolveConfig, validateConfig, type ConfigProblem } from '../../lib';
import { example, host, withHosts } from '../support/fixtures';

/** The problems of a config whose hosts are the given ones, as printed lines. */
function problemsOf(config: unknown): string[] {
  return validateConfig(config).map(formatProblem);
}

function hostProblems(...hosts: unknown[]): string[] {
  return problemsOf({ server: example.server, hosts });
}

describe('valid configurations', () => {
  test('the example hosts.ts has no problem', () => {
    expect(validateConfig(example)).toEqual([]);
  });

  test('IPv4 and IPv6 networks, console port, own certificate, bucket and prefix', () => {
    expect(hostProblems(host('a.example.com', 1024, {
      allowFrom: ['0.0.0.0/0', '::/0', '192.0.2.1/32', '2001:db8::1/128'],
      allowFromAnywhere: true,
      consolePort: 65535,
      tlsCertificate: '/etc/ssl/a.crt',
      tlsKey: '/etc/ssl/a.key',
      bucket: 'my.bucket-1',
      prefix: 'restic/a_b',
    }))).toEqual([]);
  });
});

test('with systemd.manage false the unit may be written outside the unit directories (not into a system one)', () => {
  expect(problemsOf({ server: { ...example.server, systemd: { unitPath: '/srv/units/backup-minio.service', manage: false } }, hosts: [] })).toEqual([]);
  expect(problemsOf({ server: { ...example.server, systemd: { unitPath: '/srv/units/backup-minio.service' } }, hosts: [] })).toHaveLength(1);
});

describe('one message per bad value, naming field, value and what is allowed', () => {
  const cases: Array<[string, unknown, string]> = [
    ['command substitution', host('$(reboot).example.com', 9001), 'hosts[0].name (host "$(reboot).example.com"): got "$(reboot).example.com"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); the label "$(reboot)" has a character outside a-z, 0-9, "-" or starts or ends with "-"'],
    ['backticks', host('`id`.example.com', 9001), 'the label "`id`" has a character outside'],
    ['semicolon', host('a;rm -rf.example.com', 9001), 'the label "a;rm -rf" has a character outside'],
    ['single quote', host("o'brien.example.com", 9001), 'the label "o\'brien" has a character outside'],
    ['double quote', host('a"b.example.com', 9001), 'got "a\\"b.example.com"'],
    ['space', host('a b.example.com', 9001), 'the label "a b" has a character outside'],
    ['newline', host('a\nb.example.com', 9001), 'got "a\\nb.example.com"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); it contains the non-ASCII or control character U+000A'],
    ['path traversal', host('../etc', 9001), 'it has an empty label (leading, trailing or doubled ".")'],
    ['slash', host('a/b.example.com', 9001), 'the label "a/b" has a character outside'],
    ['leading dash', host('-a.example.com', 9001), 'the label "-a" has a character outside a-z, 0-9, "-" or starts or ends with "-"'],
    ['leading dot', host('.a.example.com', 9001), 'it has an empty label'],
    ['cyrillic look-alike', host('аhost.example.com', 9001), 'it contains the non-ASCII or control character U+0430 (look-alike letters are not allowed)'],
    ['upper case', host('AHost.example.com', 9001), 'write it in lower case: "ahost.example.com"'],
    ['empty name', host('', 9001), 'hosts[0].name (host ""): got ""; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); it is empty'],
    ['10,000 characters', host('a'.repeat(10_000), 9001), 'it has 10000 characters'],
    ['label of 64 characters', host(`${'b'.repeat(64)}.example.com`, 9001), 'has 64 characters'],
    ['reserved name', host('conf', 9001), 'other than "conf", which the server uses itself'],
    ['port 0', host('a.example.com', 0), 'hosts[0].port (host "a.example.com"): got 0; allowed: an integer from 1024 to 65535'],
    ['port 80', host('a.example.com', 80), 'hosts[0].port (host "a.example.com"): got 80; allowed: an integer from 1024 to 65535'],
    ['port 65536', host('a.example.com', 65536), 'got 65536; allowed: an integer from 1024 to 65535'],
    ['port 1.5', host('a.example.com', 1.5), 'got 1.5; allowed: an integer from 1024 to 65535'],
    ['port as a string', { name: 'a.example.com', port: '9000' }, 'hosts[0].port (host "a.example.com"): got "9000"; allowed: a value of type number'],
    ['port NaN', host('a.example.com', Number.NaN), 'hosts[0].port (host "a.example.com"): got NaN; allowed: a finite number'],
    ['missing port', { name: 'a.example.com' }, 'hosts[0].port (host "a.example.com"): got nothing; allowed: a value of type number'],
    ['relative certificate path', host('a.example.com', 9001, { tlsCertificate: 'certs/a.crt', tlsKey: '/k' }), 'hosts[0].tlsCertificate (host "a.example.com"): got "certs/a.crt"; allowed: an absolute, normalised path of letters, digits and . _ @ + - /; it is relative'],
    ['traversal in a path', host('a.example.com', 9001, { tlsCertificate: '/etc/ssl/../shadow', tlsKey: '/k' }), 'it contains a "." or ".." segment'],
    ['unnormalised path', host('a.example.com', 9001, { tlsCertificate: '/etc//ssl/a.crt/', tlsKey: '/k' }), 'write it as "/etc/ssl/a.crt"'],
    ['shell metacharacters in a path', host('a.example.com', 9001, { tlsCertificate: '/etc/$(id)', tlsKey: '/k' }), 'it contains other characters'],
    ['NUL in a path', host('a.example.com', 9001, { tlsCertificate: '/etc/a\u0000b', tlsKey: '/k' }), 'it contains the character U+0000'],
    ['CIDR without length', host('a.example.com', 9001, { allowFrom: ['192.0.2.1'] }), 'hosts[0].allowFrom[0] (host "a.example.com"): got "192.0.2.1"; allowed: an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48; add the prefix length (for one address: /32 or /128)'],
    ['CIDR with host bits', host('a.example.com', 9001, { allowFrom: ['192.0.2.1/24'] }), 'written canonically without host bits: "192.0.2.0/24"'],
    ['CIDR too long', host('a.example.com', 9001, { allowFrom: ['192.0.2.0/33'] }), 'got "192.0.2.0/33"; allowed: an IPv4 or IPv6 network in CIDR notation'],
    ['CIDR in upper-case IPv6', host('a.example.com', 9001, { allowFrom: ['2001:DB8::/32'] }), 'written canonically without host bits: "2001:db8::/32"'],
    ['CIDR with shell text', host('a.example.com', 9001, { allowFrom: ['10.0.0.0/8; reboot'] }), 'got "10.0.0.0/8; reboot"; allowed: an IPv4 or IPv6 network'],
    ['misspelt field', { name: 'a.example.com', port: 9001, alowFrom: ['192.0.2.0/24'] }, 'hosts[0].alowFrom (host "a.example.com"): got ["192.0.2.0/24"]; allowed: only the documented fields of lib/config/types.ts (is it misspelt?)'],
    ['bad bucket', host('a.example.com', 9001, { bucket: 'My_Bucket' }), 'allowed: an S3 bucket name'],
    ['prefix with traversal', host('a.example.com', 9001, { prefix: 'restic/../x' }), 'allowed: a prefix of "/"-separated segments'],
    ['storage kind', { name: 'a.example.com', port: 9001, storage: 's3' }, 'hosts[0].storage (host "a.example.com"): got "s3"; allowed: one of "minio"'],
    ['replica script without shebang', host('a.example.com', 9001, { replica: { script: 'rclone copy a b' } }), 'allowed: the full text of a script starting with "#!"'],
    ['certificate without key', host('a.example.com', 9001, { tlsCertificate: '/etc/ssl/a.crt' }), 'hosts[0].tlsKey (host "a.example.com"): got nothing; allowed: a host-specific certificate and key are given together'],
  ];

  test.each(cases)('%s', (_name, badHost, expected) => {
    const problems = hostProblems(badHost);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  test('there are at least 25 bad-input cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
});

describe('problems across hosts', () => {
  test('duplicate names differing only in case are reported (with the case problem)', () => {
    const problems = hostProblems(host('a.example.com', 9001), host('A.example.com', 9002));
    expect(problems).toContain('hosts[1].name (host "A.example.com"): got "A.example.com"; allowed: a name no other host has (case-insensitively); hosts[0] is already "a.example.com"');
    expect(problems.some((p) => p.includes('write it in lower case'))).toBe(true);
  });

  test('a port used twice, and a console port clashing with another host\'s port', () => {
    const problems = hostProblems(host('a.example.com', 9001, { consolePort: 9101 }), host('b.example.com', 9001), host('c.example.com', 9101));
    expect(problems).toEqual([
      'hosts[1].port (host "b.example.com"): got 9001; allowed: a port nothing else on this server uses; hosts[0].port (a.example.com) already uses it',
      'hosts[2].port (host "c.example.com"): got 9101; allowed: a port nothing else on this server uses; hosts[0].consolePort (a.example.com) already uses it',
    ]);
  });

  test('every problem of every host is reported at once', () => {
    const problems = hostProblems(host('Bad Name', 80), host('ok.example.com', 70000, { allowFrom: ['x'] }));
    expect(problems.length).toBe(4);
  });
});

describe('server fields', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['root not absolute', { root: 'backups' }, 'server.root: got "backups"; allowed: an absolute, normalised path'],
    ['user with shell text', { user: 'backups;id' }, 'server.user: got "backups;id"; allowed: a user or group name'],
    ['server name with a space', { serverName: 'backup server' }, 'server.serverName: got "backup server"; allowed: a lower-case RFC 1123 host name'],
    ['unit path with a space', { systemd: { unitPath: '/etc/systemd/system/backup minio.service' } }, 'server.systemd.unitPath: got "/etc/systemd/system/backup minio.service"'],
    ['unknown server field', { rooot: '/x' }, 'server.rooot: got "/x"; allowed: only the documented fields'],
  ])('%s', (_name, server, expected) => {
    const problems = problemsOf({ server: { ...example.server, ...server }, hosts: [] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  test('a config that is not an object at all', () => {
    expect(problemsOf(undefined)).toEqual(['the default export of hosts.ts: got nothing; allowed: a value of type object']);
    expect(problemsOf({ server: example.server })).toEqual(['hosts: got nothing; allowed: a value of type array']);
  });
});

describe('resolveConfig', () => {
  test('throws a ConfigError listing every problem, one per line', () => {
    let error: unknown;
    try {
      resolveConfig(withHosts([host('a.example.com', 80), host('b;.example.com', 9002)]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems: readonly ConfigProblem[] = (error as ConfigError).problems;
    expect(problems.map((p) => p.field)).toEqual(['hosts[0].port', 'hosts[1].name']);
    expect((error as Error).message).toMatch(/^hosts\.ts has 2 problems; nothing was synthesized:\n  - hosts\[0\]\.port/);
  });

  test('applies documented defaults and sorts hosts by name', () => {
    const config = resolveConfig(withHosts([host('z.example.com', 9002), host('a.example.com', 9001)]));
    expect(config.hosts.map((h) => h.name)).toEqual(['a.example.com', 'z.example.com']);
    expect(config.server).toMatchObject({
      root: '/backups/systems',
      user: 'backups',
      group: 'backups',
      tlsCertificate: '/backups/systems/conf/public.crt',
      tlsKey: '/backups/systems/conf/private.key',
      systemd: { unitPath: '/etc/systemd/system/backup-minio.service', manage: true },
      backend: { localStatePath: '/backups/systems/conf/terraform/terraform.tfstate' },
    });
    expect(config.hosts[0]).toMatchObject({ bucket: 'backups', prefix: 'restic', storage: 'minio', allowFrom: [], consolePort: undefined, tlsCertificate: '/backups/systems/conf/public.crt' });
  });
});
