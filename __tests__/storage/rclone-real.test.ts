/**
 * The generated rclone service for real: layout and credentials commands as Terraform runs them, the
 * generated run script started outside runit (it drops to the service user with chpst itself), and
 * the real restic client backing up over HTTPS with the generated credentials.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { hostAccounts, repositoryUser, restPaths, serviceDir, storageBackend, type StorageContext } from '../../lib';
import { accountIds } from '../support/accounts';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { deployHost, makeTestServer, run, type TestServer } from './real-server';
import { freePorts } from '../support/e2e/ports';
import { runRestic } from '../support/restic';

const APPEND_ONLY_HOST = 'append.example.com';
const DELETABLE_HOST = 'deletable.example.com';
const START_TIMEOUT_MS = 15_000;

interface Service {
  readonly process: ChildProcess;
  output: string;
}

/** Writes the generated run script where runit would find it and runs it, as runsv would. */
function startService(context: StorageContext): Promise<Service> {
  const backend = storageBackend(context.host.storage);
  const runFile = join(serviceDir(context.paths, context.host.storage), 'run');
  writeFileSync(runFile, backend.renderRunScript(context), { mode: 0o755 });
  const child = spawn('/bin/sh', [runFile], { cwd: serviceDir(context.paths, context.host.storage), env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  const service: Service = { process: child, output: '' };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${context.host.name}: not serving after ${START_TIMEOUT_MS} ms:\n${service.output}`)), START_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      service.output += chunk.toString();
      if (service.output.includes('Serving restic REST API')) {
        clearTimeout(timer);
        resolve(service);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${context.host.name}: the run script exited with ${code}:\n${service.output}`));
    });
  });
}

/** TERM by pid (sh exec'd chpst, which exec'd rclone: the pid is rclone's), KILL if it lingers. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => { if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL'); }, 5000);
  await exited;
  clearTimeout(timer);
}

function clientCredentials(context: StorageContext): { user: string; password: string } {
  const text = readFileSync(storageBackend(context.host.storage).credentialsFile(context.paths), 'utf8');
  const value = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(text)?.[1];
  const user = value('RESTIC_REST_USERNAME');
  const password = value('RESTIC_REST_PASSWORD');
  if (!user || !password) throw new Error(`incomplete client credentials:\n${text}`);
  return { user, password };
}

/** The URL the host outputs, with the password from the credentials file (restic 0.14 reads it from the URL). */
function repositoryUrl(context: StorageContext): string {
  const { user, password } = clientCredentials(context);
  const url = storageBackend(context.host.storage).clientUrl(context);
  expect(url.startsWith(`rest:https://${user}@`)).toBe(true);
  return url.replace(`://${user}@`, `://${user}:${password}@`);
}

/** The HTTP status of a HEAD request to the service, trusting the test certificate. */
function headStatus(context: StorageContext, certificate: string, path: string, user: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', servername: 'localhost', port: context.host.port, path, method: 'HEAD',
      ca: readFileSync(certificate), auth: `${user}:${password}`,
    }, (response) => { response.resume(); resolve(response.statusCode ?? 0); });
    req.once('error', reject);
    req.end();
  });
}

describeAsRootWithServiceAccount(['rclone', 'restic', 'openssl', 'htpasswd', 'chpst'], 'rclone serve restic, generated and run for real', () => {
  let server: TestServer | undefined;
  const services: Service[] = [];
  const contexts = new Map<string, StorageContext>();
  const snapshots = new Map<string, string>();

  const resticEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: join(server!.dir, 'client'),
    RESTIC_PASSWORD: 'the client keeps this repository password to itself',
    RESTIC_CACHE_DIR: join(server!.dir, 'client', 'cache'),
  });
  const restic = (context: StorageContext, args: readonly string[]) =>
    ['-r', repositoryUrl(context), '--cacert', server!.certificate, ...args];

  beforeAll(async () => {
    const [appendPort, deletablePort] = await freePorts(2);
    server = makeTestServer([
      { name: APPEND_ONLY_HOST, port: appendPort, storage: 'rclone' },
      { name: DELETABLE_HOST, port: deletablePort, storage: 'rclone', appendOnly: false },
    ]);
    mkdirSync(join(server.dir, 'client', 'data'), { recursive: true });
    writeFileSync(join(server.dir, 'client', 'data', 'file.txt'), 'precious data\n');
    for (const context of server.contexts) {
      contexts.set(context.host.name, context);
      deployHost(context);
      services.push(await startService(context));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => stop(service.process)));
    server?.remove();
  });

  test('the credentials files are the root-only client file and the bcrypt htpasswd readable by the storage account', () => {
    for (const context of contexts.values()) {
      const files = restPaths(context);
      const client = statSync(files.clientCredentials);
      expect([client.mode & 0o777, client.uid]).toEqual([0o600, 0]);
      const htpasswd = statSync(files.htpasswd);
      expect([htpasswd.mode & 0o777, htpasswd.uid, htpasswd.gid]).toEqual([0o640, 0, accountIds(hostAccounts(context.host.name).storage).gid]);
      expect(readFileSync(files.htpasswd, 'utf8')).toMatch(new RegExp(`^${repositoryUser(context.host).replace(/\./g, '\\.')}:\\$2y\\$`));
    }
  });

  test('the run script leaves rclone itself running (same pid) as the storage account of its host', () => {
    expect(services).toHaveLength(contexts.size);
    [...contexts.values()].forEach((context, index) => {
      const pid = services[index]!.process.pid;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('rclone');
      const account = accountIds(hostAccounts(context.host.name).storage);
      expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(account.uid));
      expect(/^Gid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(account.gid));
      expect(account.uid).not.toBe(0);
    });
  });

  test.each([APPEND_ONLY_HOST, DELETABLE_HOST])('%s: restic backs up over HTTPS; the snapshot appears under the watch root', async (name) => {
    const context = contexts.get(name)!;
    const init = await run('restic', restic(context, ['init']), resticEnv());
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const backup = await run('restic', restic(context, ['backup', '--json', join(server!.dir, 'client', 'data')]), resticEnv());
    expect(backup.status).toBe(0);
    const list = await run('restic', restic(context, ['snapshots', '--json']), resticEnv());
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((snapshot) => snapshot.id);
    expect(ids).toHaveLength(1);
    snapshots.set(name, ids[0]!);
    expect(existsSync(join(storageBackend('rclone').watchRoot(context), 'snapshots', ids[0]!))).toBe(true);
  }, 60_000);

  test('the service refuses a wrong password and every repository but the host user\'s own', async () => {
    const context = contexts.get(APPEND_ONLY_HOST)!;
    const { user, password } = clientCredentials(context);
    expect(await headStatus(context, server!.certificate, `/${user}/config`, user, password)).toBe(200);
    expect(await headStatus(context, server!.certificate, `/${user}/config`, user, 'wrong-password')).toBe(401);
    expect([401, 403]).toContain(await headStatus(context, server!.certificate, `/${DELETABLE_HOST}/config`, user, password));
  });

  test('append-only: restic forget of the snapshot is refused and the snapshot stays', async () => {
    const context = contexts.get(APPEND_ONLY_HOST)!;
    const id = snapshots.get(APPEND_ONLY_HOST)!;
    const forget = await runRestic(restic(context, ['forget', id]), resticEnv(), /403 Forbidden/);
    expect(forget.stderr).toMatch(/403 Forbidden/);
    expect(forget.status).not.toBe(0);
    expect(existsSync(join(storageBackend('rclone').watchRoot(context), 'snapshots', id))).toBe(true);
    const list = await run('restic', restic(context, ['snapshots', '--no-lock', '--json']), resticEnv());
    expect((JSON.parse(list.stdout) as { id: string }[]).map((snapshot) => snapshot.id)).toEqual([id]);
  }, 60_000);

  test('not append-only: restic forget of the snapshot removes it', async () => {
    const context = contexts.get(DELETABLE_HOST)!;
    const id = snapshots.get(DELETABLE_HOST)!;
    const forget = await run('restic', restic(context, ['forget', id]), resticEnv());
    expect(forget.stderr).toBe('');
    expect(forget.status).toBe(0);
    expect(existsSync(join(storageBackend('rclone').watchRoot(context), 'snapshots', id))).toBe(false);
    const list = await run('restic', restic(context, ['snapshots', '--json']), resticEnv());
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 60_000);
});
