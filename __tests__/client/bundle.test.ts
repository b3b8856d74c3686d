/** The client bundle: credentials by restic version, the CA decision, the script itself, the private output file. */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { environmentLines, renderBundle, type BundleInput } from '../../lib/client/bundle';
import { decideCa } from '../../lib/client/ca-certificate';
import { parseClientCredentials } from '../../lib/client/client-credentials';
import { parseVersion } from '../../lib/client/restic-version';
import { writePrivateFile } from '../../lib/client/write-private-file';
import { describeWithTools, testWith } from '../support/tools';

const PASSWORD = 'Abc_def-0123456789abcdefghijABCDEFGHIJ01';
const REST: BundleInput = {
  host: 'a.example.com', serverName: 'backup.example.com', storage: 'rest-server',
  repositoryUrl: 'rest:https://a.example.com@backup.example.com:9001/a.example.com/',
  credentials: { kind: 'rest', user: 'a.example.com', password: PASSWORD },
  resticVersion: parseVersion('0.14.0')!, resticVersionText: '0.14.0', caPem: undefined,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'client-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('credentials in the form the client restic expects', () => {
  test('restic 0.14 (Debian 12): the password in the URL', () => {
    expect(environmentLines(REST)).toEqual([`RESTIC_REPOSITORY=rest:https://a.example.com:${PASSWORD}@backup.example.com:9001/a.example.com/`]);
  });

  test('restic 0.16.1 and later: RESTIC_REST_USERNAME and RESTIC_REST_PASSWORD, a URL without user', () => {
    expect(environmentLines({ ...REST, resticVersion: parseVersion('0.16.1')! })).toEqual([
      'RESTIC_REPOSITORY=rest:https://backup.example.com:9001/a.example.com/', 'RESTIC_REST_USERNAME=a.example.com', `RESTIC_REST_PASSWORD=${PASSWORD}`,
    ]);
    expect(environmentLines({ ...REST, resticVersion: parseVersion('0.16.0')! })[0]).toContain(PASSWORD);
  });

  test('minio: the S3 keys, any version', () => {
    expect(environmentLines({ ...REST, storage: 'minio', repositoryUrl: 's3:https://backup.example.com:9001/backups/restic', credentials: { kind: 's3', accessKey: 'AKEY', secretKey: 'SKEY' } })).toEqual([
      'RESTIC_REPOSITORY=s3:https://backup.example.com:9001/backups/restic', 'AWS_ACCESS_KEY_ID=AKEY', 'AWS_SECRET_ACCESS_KEY=SKEY',
    ]);
  });

  test('the credentials files as the server writes them; anything that could break the script is refused', () => {
    expect(parseClientCredentials('rclone', `# comment\nRESTIC_REST_USERNAME=a.example.com\nRESTIC_REST_PASSWORD=${PASSWORD}\n`)).toEqual({ kind: 'rest', user: 'a.example.com', password: PASSWORD });
    expect(parseClientCredentials('minio', '{"version":"19","credential":{"accessKey":"AK","secretKey":"SK"}}')).toEqual({ kind: 's3', accessKey: 'AK', secretKey: 'SK' });
    expect(() => parseClientCredentials('rest-server', 'RESTIC_REST_USERNAME=a\nRESTIC_REST_PASSWORD=x$(reboot)\n')).toThrow('no usable RESTIC_REST_PASSWORD');
    expect(() => parseClientCredentials('minio', '{"credential":{"accessKey":"A\'K","secretKey":"S"}}')).toThrow('no usable credential.accessKey');
    expect(() => parseClientCredentials('minio', 'root:x')).toThrow('not JSON');
  });
});

describeWithTools(['openssl'], 'the CA certificate a client needs', () => {
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', name]);
  const pem = (name: string) => readFileSync(join(dir, name), 'utf8');
  beforeEach(() => {
    key('ca.key');
    openssl(['req', '-x509', '-key', 'ca.key', '-subj', '/CN=Private Root', '-days', '2', '-out', 'ca.crt']);
    key('leaf.key');
    openssl(['req', '-new', '-key', 'leaf.key', '-subj', '/CN=backup.example.com', '-out', 'leaf.csr']);
    openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'leaf.crt']);
    openssl(['req', '-x509', '-key', 'leaf.key', '-subj', '/CN=self', '-days', '2', '-out', 'self.crt']);
  });

  test('self-signed: the certificate itself', () => {
    expect(decideCa(pem('self.crt'))).toEqual({ kind: 'private', pem: new X509Certificate(pem('self.crt')).toString(), subject: 'CN=self' });
  });
  test('a private CA whose root is in the file: that root', () => {
    expect(decideCa(pem('leaf.crt') + pem('ca.crt'))).toMatchObject({ kind: 'private', subject: 'CN=Private Root' });
  });
  test('a private CA whose root is not in the file: ask for --ca', () => {
    expect(decideCa(pem('leaf.crt'))).toEqual({ kind: 'unknown', reason: expect.stringContaining('give its CA with --ca <file>') });
  });
  test('a chain ending in a trusted root: nothing to hand over', () => {
    expect(decideCa(pem('leaf.crt'), [new X509Certificate(pem('ca.crt'))])).toEqual({ kind: 'public', issuer: 'CN=Private Root' });
    // Node's bundled public roots do not know the private one.
    expect(decideCa(pem('leaf.crt') + pem('ca.crt')).kind).toBe('private');
  });
  test('no certificate', () => {
    expect(decideCa('hello')).toEqual({ kind: 'unknown', reason: 'the server certificate file holds no PEM certificate' });
  });
});

describe('the bundle script', () => {
  const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const run = (bundle: string, env: Record<string, string> = {}) => {
    const file = join(dir, 'bundle.sh');
    writeFileSync(file, bundle, { mode: 0o600 });
    return spawnSync('sh', [file], { env: { PATH: process.env.PATH, RESTIC_CLIENT_DIR: join(dir, 'etc'), SYSTEMD_UNIT_DIR: join(dir, 'units'), ...env }, encoding: 'utf8' });
  };

  test('writes the env file (0600), the CA, a default paths file, and units whose paths point at its directory', () => {
    const result = run(renderBundle({ ...REST, resticVersion: parseVersion('0.17.0')!, caPem: CA }));
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'etc', 'env'), 'utf8')).toBe([
      'RESTIC_REPOSITORY=rest:https://backup.example.com:9001/a.example.com/', 'RESTIC_REST_USERNAME=a.example.com', `RESTIC_REST_PASSWORD=${PASSWORD}`,
      `RESTIC_PASSWORD_FILE=${dir}/etc/password`, `RESTIC_CACERT=${dir}/etc/ca.crt`, '',
    ].join('\n'));
    expect(lstatSync(join(dir, 'etc', 'env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'etc', 'ca.crt'), 'utf8')).toBe(CA);
    expect(readFileSync(join(dir, 'etc', 'paths'), 'utf8')).toBe('/etc\n/home\n/root\n/srv\n/var/lib\n');
    expect(readFileSync(join(dir, 'units', 'restic-backup.service'), 'utf8')).toContain(`ExecStart=/usr/bin/restic backup --cacert ${dir}/etc/ca.crt --files-from ${dir}/etc/paths --exclude-caches --one-file-system\n`);
  });

  test('a directory that would break the unit files is refused', () => {
    const result = run(renderBundle(REST), { RESTIC_CLIENT_DIR: join(dir, 'a b') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('may hold only letters');
  });

  testWith({ tools: ['shellcheck'] }, 'shellcheck finds nothing', () => {
    for (const input of [REST, { ...REST, caPem: CA, resticVersion: parseVersion('0.16.1')! }]) {
      const result = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: renderBundle(input), encoding: 'utf8' });
      expect([result.status, result.stdout]).toEqual([0, '']);
    }
  });
});

describe('--output: a new file, mode 0600, never an existing one or a link', () => {
  test('written 0600 even under umask 000', async () => {
    const old = process.umask(0);
    try {
      await writePrivateFile(join(dir, 'bundle'), 'secret');
    } finally {
      process.umask(old);
    }
    expect(lstatSync(join(dir, 'bundle')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'bundle'), 'utf8')).toBe('secret');
  });

  test('an existing file, a link to a file, and a dangling link are refused and left as they were', async () => {
    writeFileSync(join(dir, 'existing'), 'keep');
    writeFileSync(join(dir, 'victim'), 'victim');
    symlinkSync(join(dir, 'victim'), join(dir, 'link'));
    symlinkSync(join(dir, 'created-elsewhere'), join(dir, 'dangling'));
    for (const name of ['existing', 'link', 'dangling']) await expect(writePrivateFile(join(dir, name), 'secret')).rejects.toThrow('already exists (or is a link)');
    expect(readFileSync(join(dir, 'existing'), 'utf8')).toBe('keep');
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('victim');
    expect(lstatSync(join(dir, 'created-elsewhere'), { throwIfNoEntry: false })).toBeUndefined();
  });
});
