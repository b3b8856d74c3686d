/**
 * The README's synth command for real: what `npm run synth` runs (scripts/synth.js main.ts), from
 * other working directories, and with a broken hosts.ts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');
const synthScript = join(repo, 'scripts/synth.js');
const temporary: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
  temporary.push(dir);
  return dir;
}

afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synthIn(cwd: string, mainFile = join(repo, 'main.ts')) {
  const env = { ...process.env };
  delete env.CDKTF_OUTDIR; // as the README runs it; the cdktf CLI would set it
  const result = spawnSync(process.execPath, [synthScript, mainFile], { cwd, encoding: 'utf8', env });
  return { ...result, stackFile: join(cwd, 'cdktf.out/stacks/backup-server/cdk.tf.json') };
}

describe('determinism', () => {
  const first = synthIn(tempDir());
  const second = synthIn(tempDir());

  test('synth succeeds from any working directory', () => {
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
  });

  test('says what it did in one line: stack, hosts, resources and the file, relative to where it ran', () => {
    const hosts = (readFileSync(join(repo, 'hosts.ts'), 'utf8').match(/^\s+name: '/gm) ?? []).length;
    const resources = Object.values((JSON.parse(readFileSync(first.stackFile, 'utf8')) as { resource: Record<string, object> }).resource)
      .reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    expect(first.stdout).toBe(`synthesized stack backup-server: ${hosts} hosts, ${resources} resources -> cdktf.out/stacks/backup-server/cdk.tf.json\n`);
    expect(first.stderr).toBe('');
  });

  test('two synths from different working directories are byte-identical', () => {
    expect(readFileSync(first.stackFile)).toEqual(readFileSync(second.stackFile));
  });

  test('no absolute path of the checkout or working directory, no timestamp, nothing secret-looking', () => {
    const text = readFileSync(first.stackFile, 'utf8');
    expect(text).not.toContain(repo);
    expect(text).not.toContain(tmpdir());
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    // Tokens shaped like generated credentials: 20 upper-case letters and digits, 40 URL-safe characters.
    const tokens = text.match(/[A-Za-z0-9_-]+/g) ?? [];
    const mixed = (token: string) => /[0-9]/.test(token) && /[A-Z]/.test(token);
    expect(tokens.filter((t) => t.length === 20 && /^[A-Z0-9]+$/.test(t) && mixed(t))).toEqual([]);
    expect(tokens.filter((t) => t.length === 40 && mixed(t) && /[a-z]/.test(t))).toEqual([]);
    expect(text).not.toMatch(/MINIO_ROOT_(USER|PASSWORD)=[^$]/);
  });
});

/** A checkout whose hosts.ts is `hostsSource`, synthesized as the README does. */
function synthWithHosts(hostsSource: string) {
  const dir = tempDir();
  cpSync(join(repo, 'main.ts'), join(dir, 'main.ts'));
  symlinkSync(join(repo, 'lib'), join(dir, 'lib'));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'hosts.ts'), hostsSource);
  return { ...synthIn(dir, join(dir, 'main.ts')), outdir: join(dir, 'cdktf.out') };
}

describe('an invalid hosts.ts', () => {
  test('exits non-zero, lists every problem and writes nothing', () => {
    const result = synthWithHosts(`export default {
  server: { serverName: 'backup.example.com' },
  hosts: [{ name: 'a;b.example.com', port: 80 }, { name: 'c.example.com', port: 9001, allowFrom: ['10.0.0.1/8'] }],
};\n`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      'hosts.ts has 3 problems; nothing was synthesized:',
      '  - hosts[0].name (host "a;b.example.com"): got "a;b.example.com"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); the label "a;b" has a character outside a-z, 0-9, "-" or starts or ends with "-"',
      '  - hosts[0].port (host "a;b.example.com"): got 80; allowed: an integer from 1024 to 65535',
      '  - hosts[1].allowFrom[0] (host "c.example.com"): got "10.0.0.1/8"; allowed: an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48, written canonically without host bits: "10.0.0.0/8"',
      '',
    ].join('\n'));
    expect(result.stdout).toBe('');
    expect(existsSync(result.outdir)).toBe(false);
  });

  test('a syntax error is reported by the bundler, exit 1, nothing written', () => {
    const dir = tempDir();
    cpSync(join(repo, 'main.ts'), join(dir, 'main.ts'));
    symlinkSync(join(repo, 'lib'), join(dir, 'lib'));
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'hosts.ts'), `export default { server: { serverName: 'backup.example.com' }, hosts: [ };\n`);
    const result = synthIn(dir, join(dir, 'main.ts'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('hosts.ts:1:');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });
});

describe('a hostile hosts.ts (more in __tests__/config/hostile.test.ts, in-process)', () => {
  test('a host name too long for the iptables comment: a message, not a stack trace, and nothing written', () => {
    const name = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(48)].join('.');
    const result = synthWithHosts(`export default {
  server: { serverName: 'backup.example.com', firewall: { backend: 'iptables' } },
  hosts: [{ name: '${name}', port: 9001, allowFrom: ['192.0.2.10/32'] }],
};\n`);
    expect(result.status).toBe(1);
    const shown = `${name.slice(0, 59)}… (240 characters)`;
    expect(result.stderr).toBe([
      'hosts.ts has 1 problem; nothing was synthesized:',
      `  - hosts[0].name (host "${shown}): got "${shown}; allowed: a host name of at most 234 characters with firewall "iptables": its rule comment "restic-backup-server:<host>" has 261 characters; iptables keeps 255`,
      '',
    ].join('\n'));
    expect(existsSync(result.outdir)).toBe(false);
  });

  test('a getter and a smuggled __proto__ root are refused, not read', () => {
    const result = synthWithHosts(`let reads = 0;
const server = { serverName: 'backup.example.com' };
Object.defineProperty(server, 'root', { enumerable: true, get: () => (reads++ === 0 ? '/backups/systems' : '/etc') });
export default {
  server,
  hosts: [{ name: 'a.example.com', port: 9001, __proto__: { root: '/etc' } }],
};\n`);
    expect(result.status).toBe(1);
    const plainData = 'plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)';
    expect(result.stderr).toBe([
      'hosts.ts has 2 problems; nothing was synthesized:',
      `  - server.root: got a getter; allowed: ${plainData}`,
      `  - hosts[0]: got an object with a prototype of its own (such as a "__proto__" key in an object literal); allowed: ${plainData}`,
      '',
    ].join('\n'));
    expect(existsSync(result.outdir)).toBe(false);
  });

  test('escape sequences and bidi overrides reach the terminal escaped', () => {
    const result = synthWithHosts(`export default {
  server: { serverName: 'backup.example.com' },
  hosts: [{ name: 'a\\u202Emoc.elpmaxe', port: 9001, bucket: 'b\\u001b]0;owned\\u0007' }],
};\n`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      'hosts.ts has 2 problems; nothing was synthesized:',
      '  - hosts[0].name (host "a\\u202emoc.elpmaxe"): got "a\\u202emoc.elpmaxe"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); it contains the non-ASCII or control character U+202E (look-alike letters are not allowed)',
      '  - hosts[0].bucket (host "a\\u202emoc.elpmaxe"): got "b\\u001b]0;owned\\u0007"; allowed: an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit',
      '',
    ].join('\n'));
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(existsSync(result.outdir)).toBe(false);
  });
});

describe('npm run synth', () => {
  test('runs scripts/synth.js, without a TypeScript loader at run time', () => {
    const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.synth).toBe('node scripts/synth.js');
    expect((JSON.parse(readFileSync(join(repo, 'cdktf.json'), 'utf8')) as { app: string }).app).toBe('node scripts/synth.js');
  });
});
