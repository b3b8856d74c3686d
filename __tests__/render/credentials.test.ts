/**
 * The generated credentials command and minio run script, run for real: keys are made once, with
 * the right alphabet, owner and mode, and minio receives them through the current variables.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostAccounts, hostPaths, minio, renderLayoutCommand, renderServerLayoutCommand, resolveConfig } from '../../lib';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { host, withHosts } from '../support/fixtures';

describeAsRootWithServiceAccount(['chpst', 'sh'], 'minio credentials on a real file system', () => {
  let root: string;
  let context: Parameters<typeof minio.renderRunScript>[0];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'credentials-'));
    chmodSync(root, 0o755);
    const config = resolveConfig(withHosts([host('a.example.com', 9001)], { root, minioBinary: join(root, 'fake-minio') }));
    const [resolved] = config.hosts;
    context = { server: config.server, host: resolved!, paths: hostPaths(root, 'a.example.com', 'minio') };
    // As the deploy does it: the server's layout, its TLS files, then the host's (which makes its accounts).
    execFileSync('/bin/sh', ['-c', renderServerLayoutCommand(config.server)]);
    for (const file of [config.server.tlsCertificate, config.server.tlsKey]) writeFileSync(file, 'test\n');
    execFileSync('/bin/sh', ['-c', renderLayoutCommand(config.server, resolved!, context.paths, config.server.minioBinary)]);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const generate = () => execFileSync('/bin/sh', ['-c', minio.renderCredentialsCommand(context)], { encoding: 'utf8' });
  const credentialsFile = () => minio.credentialsFile(context.paths);

  test('writes 20-character access and 40-character secret keys, root-owned, readable by the replicator only', () => {
    expect(generate()).toContain('wrote new credentials');
    const config = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { version: string; credential: { accessKey: string; secretKey: string } };
    expect(config.version).toBe('19');
    expect(config.credential.accessKey).toMatch(/^[A-Z0-9]{20}$/);
    expect(config.credential.secretKey).toMatch(/^[A-Za-z0-9_-]{40}$/);
    const stat = statSync(credentialsFile());
    expect(stat.mode & 0o777).toBe(0o640);
    expect(execFileSync('stat', ['-c', '%U:%G', credentialsFile()], { encoding: 'utf8' }).trim()).toBe(`root:${hostAccounts('a.example.com').replicator}`);
  });

  test('never regenerates or overwrites: a second deploy keeps the keys clients hold', () => {
    generate();
    const first = readFileSync(credentialsFile(), 'utf8');
    expect(generate()).toContain('keeping the existing credentials');
    expect(readFileSync(credentialsFile(), 'utf8')).toBe(first);
  });

  test('two generations differ (keys come from the CSPRNG, not from the configuration)', () => {
    generate();
    const first = readFileSync(credentialsFile(), 'utf8');
    rmSync(credentialsFile());
    generate();
    expect(readFileSync(credentialsFile(), 'utf8')).not.toBe(first);
  });

  describe('the run script hands the keys to minio', () => {
    const runWith = (configText: string) => {
      writeFileSync(credentialsFile(), configText, { mode: 0o600 });
      // The stand-in minio prints what it was given instead of serving.
      writeFileSync(context.server.minioBinary, '#!/bin/sh\necho "user=$(id -un) MINIO_ROOT_USER=$MINIO_ROOT_USER MINIO_ROOT_PASSWORD=$MINIO_ROOT_PASSWORD MINIO_BROWSER=$MINIO_BROWSER args=$*"\n', { mode: 0o755 });
      const script = join(root, 'run');
      writeFileSync(script, minio.renderRunScript(context), { mode: 0o755 });
      return spawnSync(script, { encoding: 'utf8' });
    };

    test('from a file written by the original script (pretty-printed, version 19)', () => {
      const result = runWith('{\n\t"version": "19",\n\t"credential": {\n\t\t"accessKey": "ABCDEFGHIJ0123456789",\n\t\t"secretKey": "abc/def+ghi"\n\t},\n\t"region": "us-east-1"\n}\n');
      expect(result.stdout).toBe(`user=${hostAccounts('a.example.com').storage} MINIO_ROOT_USER=ABCDEFGHIJ0123456789 MINIO_ROOT_PASSWORD=abc/def+ghi MINIO_BROWSER=off args=server --quiet --address :9001 --certs-dir ${context.paths.certs} ${context.paths.storageData}\n`);
    });

    test('from a file on one line', () => {
      expect(runWith('{"credential":{"accessKey":"KEY1","secretKey":"SECRET1"}}').stdout).toContain('MINIO_ROOT_USER=KEY1 MINIO_ROOT_PASSWORD=SECRET1 ');
    });

    test('refuses to start without credentials, saying why', () => {
      const result = runWith('{"credential":{}}');
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('has no credential.accessKey and credential.secretKey');
    });
  });
});
