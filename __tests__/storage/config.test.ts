import { DEFAULT_RCLONE_BINARY, DEFAULT_REST_SERVER_BINARY, repositoryUser, resolveConfig, validateConfig, type BackupServerConfig } from '../../lib';
import { oneHostConfig } from './fixtures';

const fieldsOf = (config: unknown) => validateConfig(config).map((problem) => problem.field);

test('hosts are append-only by default and may turn it off', () => {
  expect(resolveConfig(oneHostConfig('rclone')).hosts[0]!.appendOnly).toBe(true);
  expect(resolveConfig(oneHostConfig('rest-server', { appendOnly: false })).hosts[0]!.appendOnly).toBe(false);
});

test('the binaries have defaults and can be set', () => {
  const server = resolveConfig(oneHostConfig('rclone')).server;
  expect([server.restServerBinary, server.rcloneBinary]).toEqual([DEFAULT_REST_SERVER_BINARY, DEFAULT_RCLONE_BINARY]);
  expect(DEFAULT_RCLONE_BINARY).toBe('/usr/bin/rclone');
  const config = oneHostConfig('rclone');
  const custom = resolveConfig({ ...config, server: { ...config.server, rcloneBinary: '/opt/rclone', restServerBinary: '/opt/rest-server' } }).server;
  expect([custom.restServerBinary, custom.rcloneBinary]).toEqual(['/opt/rest-server', '/opt/rclone']);
});

test('binary paths must be absolute, normalised paths', () => {
  const config = oneHostConfig('rclone');
  expect(fieldsOf({ ...config, server: { ...config.server, rcloneBinary: 'rclone', restServerBinary: '/opt/../rest-server' } }))
    .toEqual(['server.restServerBinary', 'server.rcloneBinary']);
});

test('a host may choose its own storage over the server\'s', () => {
  const config: BackupServerConfig = {
    server: { serverName: 'backup.example.com', storage: 'rest-server' },
    hosts: [{ name: 'a.example.com', port: 9001 }, { name: 'b.example.com', port: 9002, storage: 'minio' }, { name: 'c.example.com', port: 9003, storage: 'rclone' }],
  };
  expect(resolveConfig(config).hosts.map((host) => host.storage)).toEqual(['rest-server', 'minio', 'rclone']);
});

test('an unknown storage is refused with the allowed ones', () => {
  const problems = validateConfig(oneHostConfig('s3' as never));
  expect(problems).toHaveLength(1);
  expect(problems[0]!.allowed).toBe('one of "minio", "rest-server", "rclone"');
});

test('appendOnly is refused on a minio host, and minio-only fields on a REST host', () => {
  expect(fieldsOf(oneHostConfig('minio', { appendOnly: true }))).toEqual(['hosts[0].appendOnly']);
  const problems = validateConfig(oneHostConfig('rclone', { bucket: 'backups', prefix: 'restic', consolePort: 9101 }));
  expect(problems.map((problem) => problem.field).sort()).toEqual(['hosts[0].bucket', 'hosts[0].consolePort', 'hosts[0].prefix']);
  expect(problems[0]!.allowed).toMatch(/on a host with storage "rclone": .* applies only to storage "minio"/);
});

test('the server\'s storage counts for hosts that do not choose their own', () => {
  const config: BackupServerConfig = { server: { serverName: 'backup.example.com', storage: 'rest-server' }, hosts: [{ name: 'a.example.com', port: 9001, bucket: 'x-bucket' }] };
  expect(fieldsOf(config)).toEqual(['hosts[0].bucket']);
  expect(fieldsOf({ ...config, hosts: [{ name: 'a.example.com', port: 9001, appendOnly: false }] })).toEqual([]);
});

test('appendOnly must be a boolean', () => {
  expect(fieldsOf(oneHostConfig('rclone', { appendOnly: 'yes' as never }))).toEqual(['hosts[0].appendOnly']);
});

test('the repository user is the host name, and nothing unsafe as a REST user name', () => {
  expect(repositoryUser({ name: 'ahost.example.com' })).toBe('ahost.example.com');
  for (const name of ['', 'a/b', 'a:b', 'A.example.com', '.hidden', 'a b']) {
    expect(() => repositoryUser({ name })).toThrow(/cannot be a restic REST user/);
  }
});
