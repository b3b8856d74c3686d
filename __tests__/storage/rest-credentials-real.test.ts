/** The generated REST credentials command, run as Terraform runs it, on a temporary server tree. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostAccounts, restPaths, storageBackend, type StorageContext } from '../../lib';
import { accountIds } from '../support/accounts';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { deployHost, makeTestServer, runProvisioner, type TestServer } from './real-server';

const passwordOf = (file: string): string => /^RESTIC_REST_PASSWORD=(.+)$/m.exec(readFileSync(file, 'utf8'))![1]!;

/** `htpasswd -v` reads the password from stdin (-i), so it never appears on a command line. */
function htpasswdAccepts(file: string, user: string, password: string): boolean {
  return spawnSync('htpasswd', ['-vi', file, user], { input: `${password}\n` }).status === 0;
}

describeAsRootWithServiceAccount(['htpasswd', 'openssl'], 'REST credentials generated on the server', () => {
  let server: TestServer | undefined;
  let context: StorageContext;
  let command: string;

  beforeAll(() => {
    server = makeTestServer([{ name: 'ahost.example.com', port: 9001, storage: 'rest-server' }]);
    context = server.contexts[0]!;
    command = storageBackend('rest-server').renderCredentialsCommand(context);
    deployHost(context);
  });
  afterAll(() => server?.remove());

  test('writes a 40-character password for the client and its bcrypt hash for the server', () => {
    const files = restPaths(context);
    const password = passwordOf(files.clientCredentials);
    expect(password).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(readFileSync(files.clientCredentials, 'utf8')).toMatch(/^RESTIC_REST_USERNAME=ahost\.example\.com$/m);
    expect(htpasswdAccepts(files.htpasswd, 'ahost.example.com', password)).toBe(true);
    expect(htpasswdAccepts(files.htpasswd, 'ahost.example.com', `${password}x`)).toBe(false);
    expect(readFileSync(files.htpasswd, 'utf8')).not.toContain(password);
    expect(statSync(files.clientCredentials).mode & 0o777).toBe(0o600);
    // Only the bcrypt hash reaches the storage account: root:<storage account> 0640.
    expect(statSync(files.htpasswd).mode & 0o777).toBe(0o640);
    expect(statSync(files.htpasswd).gid).toBe(accountIds(hostAccounts('ahost.example.com').storage).gid);
  });

  test('a second run keeps both files and prints no secret', () => {
    const files = restPaths(context);
    const before = [readFileSync(files.clientCredentials, 'utf8'), readFileSync(files.htpasswd, 'utf8')];
    const again = runProvisioner(command);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('keeping the existing credentials');
    expect(`${again.stdout}${again.stderr}`).not.toContain(passwordOf(files.clientCredentials));
    expect([readFileSync(files.clientCredentials, 'utf8'), readFileSync(files.htpasswd, 'utf8')]).toEqual(before);
  });

  test('a lost htpasswd is derived again from the client\'s password', () => {
    const files = restPaths(context);
    rmSync(files.htpasswd);
    const again = runProvisioner(command);
    expect(again.status).toBe(0);
    expect(htpasswdAccepts(files.htpasswd, 'ahost.example.com', passwordOf(files.clientCredentials))).toBe(true);
  });

  test('a lost client file stops the deploy instead of issuing a new password, and leaves no temporary file', () => {
    const files = restPaths(context);
    const hash = readFileSync(files.htpasswd, 'utf8');
    rmSync(files.clientCredentials);
    const again = runProvisioner(command);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/the password is lost; restore .*client-credentials, or remove .*htpasswd to issue new credentials/);
    expect(readFileSync(files.htpasswd, 'utf8')).toBe(hash);
    expect(readdirSync(context.paths.storageConf).filter((name) => name.includes('.tmp.'))).toEqual([]);
  });
});
