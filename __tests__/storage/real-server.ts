/**
 * A server tree in a temporary directory for the real storage tests: a self-signed certificate from
 * openssl, and the generated provisioner commands run exactly as Terraform would run them.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMMAND_INTERPRETER, hostPaths, renderLayoutCommand, renderServerLayoutCommand, resolveConfig, storageBackend,
  type HostConfig, type StorageContext,
} from '../../lib';
import { makeTestCertificate } from '../support/tls';

export { SERVICE_ACCOUNT } from '../support/accounts';

export interface TestServer {
  readonly dir: string;
  readonly certificate: string;
  readonly contexts: readonly StorageContext[];
  remove(): void;
}

/** A temporary root (traversable by the service user), a certificate for localhost, the hosts resolved. */
export function makeTestServer(hosts: readonly HostConfig[]): TestServer {
  const dir = mkdtempSync(join(tmpdir(), 'storage-real-'));
  chmodSync(dir, 0o755);
  const { certificate, key } = makeTestCertificate(dir, ['localhost']);
  const config = resolveConfig({
    server: { serverName: 'localhost', root: join(dir, 'root'), tlsCertificate: certificate, tlsKey: key, systemd: { manage: false } },
    hosts,
  });
  mkdirSync(config.server.root, { mode: 0o755 });
  const contexts = config.hosts.map((host) => ({ server: config.server, host, paths: hostPaths(config.server.root, host.name, host.storage) }));
  return { dir, certificate, contexts, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A provisioner command, run the way Terraform's local-exec runs it. */
export function runProvisioner(command: string): CommandResult {
  const [shell, ...flags] = COMMAND_INTERPRETER;
  const result = spawnSync(shell!, [...flags, command], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The server's layout step, then the layout and credentials steps of one host; throws with the output if one fails. */
export function deployHost(context: StorageContext): void {
  const backend = storageBackend(context.host.storage);
  for (const command of [renderServerLayoutCommand(context.server), renderLayoutCommand(context.server, context.host, context.paths, backend.binary(context.server)), backend.renderCredentialsCommand(context)]) {
    const result = runProvisioner(command);
    if (result.status !== 0) throw new Error(`provisioner failed (${result.status}):\n${command}\n${result.stdout}${result.stderr}`);
  }
}

/** Runs a command to its end without blocking the event loop (servers started by the test keep logging). */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
