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

describe('an invalid hosts.ts', () => {
  test('exits non-zero, lists every problem and writes nothing', () => {
    const dir = tempDir();
    cpSync(join(repo, 'main.ts'), join(dir, 'main.ts'));
    symlinkSync(join(repo, 'lib'), join(dir, 'lib'));
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'hosts.ts'), `export default {
  server: { serverName: 'backup.example.com' },
  hosts: [{ name: 'a;b.example.com', port: 80 }, { name: 'c.example.com', port: 9001, allowFrom: ['10.0.0.1/8'] }],
};\n`);
    const result = synthIn(dir, join(dir, 'main.ts'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      'hosts.ts has 3 problems; nothing was synthesized:',
      '  - hosts[0].name (host "a;b.example.com"): got "a;b.example.com"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); the label "a;b" has a character outside a-z, 0-9, "-" or starts or ends with "-"',
      '  - hosts[0].port (host "a;b.example.com"): got 80; allowed: an integer from 1024 to 65535',
      '  - hosts[1].allowFrom[0] (host "c.example.com"): got "10.0.0.1/8"; allowed: an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48, written canonically without host bits: "10.0.0.0/8"',
      '',
    ].join('\n'));
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
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

describe('npm run synth', () => {
  test('runs scripts/synth.js, without a TypeScript loader at run time', () => {
    const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.synth).toBe('node scripts/synth.js');
    expect((JSON.parse(readFileSync(join(repo, 'cdktf.json'), 'utf8')) as { app: string }).app).toBe('node scripts/synth.js');
  });
});
