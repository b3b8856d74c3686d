import { STORAGE_KINDS, hostAccounts, type StorageKind } from '../../lib';
import { SERVER_NAME, hostResources, localFile, oneHostConfig, shellCommand, synth } from './fixtures';

const HOST = 'ahost.example.com';
const ID = 'hosts_ahost_example_com';
const ROOT = '/backups/systems';

describe.each(STORAGE_KINDS)('a host with storage %s', (kind: StorageKind) => {
  const synthesized = synth(oneHostConfig(kind));

  test('synthesizes the same resources as the snapshot', () => {
    expect(hostResources(synthesized, HOST)).toMatchSnapshot();
  });

  test('runs its storage service from conf/runsvs/<storage> and logs to logs/<storage>', () => {
    const run = localFile(synthesized, `${ID}_${kind}-run`);
    expect(run.filename).toBe(`${ROOT}/${HOST}/conf/runsvs/${kind}/run`);
    expect(run.file_permission).toBe('0755');
    expect(run.content).toMatch(/^exec 2>&1$/m);
    const storage = hostAccounts(HOST).storage;
    // Its own account, and the server group that reads the shared TLS key.
    expect(run.content).toMatch(new RegExp(`^umask 027\nexec chpst -u ${storage}:${storage}:backups `, 'm'));
    const logRun = localFile(synthesized, `${ID}_${kind}-log-run`);
    expect(logRun.content).toContain(`svlogd -tt ${ROOT}/${HOST}/logs/${kind}`);
  });

  test('creates its data directory <host>/<storage> in the layout step', () => {
    expect(shellCommand(synthesized, `${ID}_layout`)).toContain(`${ROOT}/${HOST}/${kind}`);
  });

  test('synthesizes the same output twice', () => {
    expect(JSON.stringify(synth(oneHostConfig(kind)))).toBe(JSON.stringify(synthesized));
  });
});

describe.each(['rest-server', 'rclone'] as const)('%s', (kind) => {
  const synthesized = synth(oneHostConfig(kind));
  const conf = `${ROOT}/${HOST}/conf/${kind}`;
  const run = localFile(synthesized, `${ID}_${kind}-run`).content;

  test('outputs the rest: URL of the host user\'s private repository, without a password', () => {
    expect(synthesized.output[`${ID}_repository-url`]!.value).toBe(`rest:https://${HOST}@${SERVER_NAME}:9001/${HOST}/`);
    expect(synthesized.output[`${ID}_credentials-file`]!.value).toBe(`${conf}/client-credentials`);
  });

  test('serves TLS from the certificate links with the htpasswd file and private repositories', () => {
    expect(run).toContain(`${conf}/certs/public.crt`);
    expect(run).toContain(`${conf}/certs/private.key`);
    expect(run).toContain(`${conf}/htpasswd`);
    expect(run).toContain(' --private-repos');
    expect(run).toContain(':9001');
  });

  test('is append-only unless the host turns it off', () => {
    expect(run).toContain(' --append-only');
    const open = localFile(synth(oneHostConfig(kind, { appendOnly: false })), `${ID}_${kind}-run`).content;
    expect(open).not.toContain('--append-only');
    expect(open.replace(/ --private-repos( --group-accessible-repos)?/, (flags) => `${flags} --append-only`).replace(`port 9001\n`, 'port 9001, append-only\n')).toBe(run);
  });

  test('has backup-syncd watch the repository of the host user, where snapshots/ appears', () => {
    expect(localFile(synthesized, `${ID}_backup-syncd-run`).content).toContain(`--watch ${ROOT}/${HOST}/${kind}/${HOST} `);
  });

  test('generates credentials on the server: no password or hash in the synthesized output', () => {
    const command = shellCommand(synthesized, `${ID}_layout`); // the layout step also makes the credentials
    expect(command).toContain('/dev/urandom');
    expect(command).toContain('htpasswd -niB');
    const text = JSON.stringify(synthesized);
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(text).not.toMatch(/RESTIC_REST_PASSWORD=[A-Za-z0-9_-]/);
  });

  test('uses the configured binary', () => {
    const field = kind === 'rclone' ? 'rcloneBinary' : 'restServerBinary';
    const config = oneHostConfig(kind);
    const custom = localFile(synth({ ...config, server: { ...config.server, [field]: '/opt/bin/server' } }), `${ID}_${kind}-run`).content;
    expect(custom).toMatch(/exec chpst -u bks-ahost-example-com-a3ea77cb:bks-ahost-example-com-a3ea77cb:backups \/opt\/bin\/server /);
  });
});

test('rest-server and rclone take the flags each documents', () => {
  const restServer = localFile(synth(oneHostConfig('rest-server')), `${ID}_rest-server-run`).content;
  expect(restServer).toContain(`/usr/local/bin/rest-server --path ${ROOT}/${HOST}/rest-server --listen :9001 --tls --tls-cert `);
  expect(restServer).toContain(' --htpasswd-file ');
  const rclone = localFile(synth(oneHostConfig('rclone')), `${ID}_rclone-run`).content;
  expect(rclone).toContain("/usr/bin/rclone serve restic --config '' --addr :9001 --cert ");
  expect(rclone).toMatch(new RegExp(` --htpasswd \\S+ --private-repos --append-only ${ROOT}/${HOST}/rclone\\n`));
});

test('switching a host\'s storage keeps the old data directory: nothing removes it', () => {
  const before = synth(oneHostConfig('minio'));
  const after = synth(oneHostConfig('rclone'));
  for (const synthesized of [before, after]) {
    const commands = Object.values(synthesized.resource.null_resource ?? {}).flatMap((resource) =>
      ((resource as { provisioner: { 'local-exec': { command: string } }[] }).provisioner).map((p) => p['local-exec'].command));
    for (const command of commands) {
      // The only recursive removal allowed is of runit's supervise/ state in stale service directories.
      expect(command.replace(/rm -rf "\$dir\/supervise" "\$dir\/log\/supervise"/g, '')).not.toMatch(/rm -r|rm -fr/);
      expect(command).not.toMatch(new RegExp(`rm [^\\n]*${ROOT}/${HOST}/(minio|rclone)\\b(?!/)`));
    }
  }
  // The layout after the switch creates the new data directory beside the old one.
  expect(shellCommand(after, `${ID}_layout`)).toContain(`${ROOT}/${HOST}/rclone`);
  expect(localFile(after, `${ID}_rclone-run`).filename).toBe(`${ROOT}/${HOST}/conf/runsvs/rclone/run`);
});
