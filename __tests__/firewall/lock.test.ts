/**
 * Firewall steps run one at a time: Terraform runs provisioners in parallel, so every firewall
 * command takes the lock of ../../lib/firewall/lock.ts first. Two steps of each backend are started
 * together against a stand-in (the command prefix) that records when each firewall command begins
 * and ends; the same commands without the lock lines interleave, which shows the check can fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREWALL_LOCK_DIRECTORY, firewallBackend, firewallLockLines, resolveHost, resolveServer, type FirewallKind, type HostConfig } from '../../lib';
import { SERVICE_ACCOUNT } from '../support/accounts';
import { describeAsRootWithTools, describeWith } from '../support/tools';

const HOSTS: readonly HostConfig[] = [
  { name: 'ahost.example.com', port: 9001, allowFrom: ['192.0.2.0/24'] },
  { name: 'bhost.example.com', port: 9002, allowFrom: ['198.51.100.7/32'] },
];

function runStep(command: string, step: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, STEP: step }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => { stderr += data.toString(); });
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stderr })));
}

describeAsRootWithTools(['flock', 'awk', 'stat'], 'firewall steps are serialised', () => {
  let scratch = '';
  let log = '';
  let standIn = '';

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'firewall-lock-'));
    log = join(scratch, 'calls');
    standIn = join(scratch, 'as-root');
    writeFileSync(standIn, [
      '#!/bin/sh',
      'case "$1" in',
      `  nft|iptables|ip6tables|ufw|firewall-cmd) echo "$STEP begin $1" >> '${log}'; sleep 0.3; echo "$STEP end $1" >> '${log}'; exit 0 ;;`,
      'esac',
      'exec "$@"',
      '',
    ].join('\n'));
    chmodSync(standIn, 0o755);
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const applyCommands = (backend: FirewallKind): [string, string] => {
    const server = resolveServer({ serverName: 'backup.example.com', root: join(scratch, 'root'), firewall: { backend, commandPrefix: standIn } });
    const [a, b] = HOSTS.map((host) => firewallBackend(backend).hostRules(server, resolveHost(host, server))!.apply);
    return [a!, b!];
  };

  /** The recorded calls, and whether each step's calls form one block. */
  const blocks = (): { calls: string[]; serial: boolean } => {
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const steps = calls.map((line) => line.split(' ')[0]);
    const changes = steps.filter((step, index) => index > 0 && step !== steps[index - 1]).length;
    return { calls, serial: changes === 1 };
  };

  test.each(['nftables', 'iptables', 'ufw', 'firewalld'] as const)('%s: two apply steps started together run one after the other', async (backend) => {
    const [a, b] = applyCommands(backend);
    const results = await Promise.all([runStep(a, 'A'), runStep(b, 'B')]);
    expect(results).toEqual([{ status: 0, stderr: '' }, { status: 0, stderr: '' }]);
    const { calls, serial } = blocks();
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect({ calls, serial }).toEqual({ calls, serial: true });
  });

  test('without the lock, the same steps interleave (the check above can fail)', async () => {
    const lockLines = firewallLockLines().join('\n');
    const [a, b] = applyCommands('nftables').map((command) => command.replace(lockLines, '')) as [string, string];
    expect(a).not.toContain('flock');
    await Promise.all([runStep(a, 'A'), runStep(b, 'B')]);
    expect(blocks().serial).toBe(false);
  });

  test(`as root, the lock lives in ${FIREWALL_LOCK_DIRECTORY}, a directory of root with mode 0700`, async () => {
    expect((await runStep(applyCommands('nftables')[0], 'A')).status).toBe(0);
    const stats = lstatSync(FIREWALL_LOCK_DIRECTORY);
    expect({ directory: stats.isDirectory(), uid: stats.uid, mode: (stats.mode & 0o7777).toString(8) }).toEqual({ directory: true, uid: 0, mode: '700' });
  });

  // The other account is the service account `.ci/run` creates; without it these skip (outside CI).
  describeWith({ root: true, accounts: [SERVICE_ACCOUNT], tools: ['setpriv'] }, 'as another account (Terraform not run as root), in its XDG_RUNTIME_DIR', () => {
    const asBackups = (runtime: string | undefined) => {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', STEP: 'A' };
      if (runtime !== undefined) env.XDG_RUNTIME_DIR = runtime;
      return spawnSync('setpriv', [`--reuid=${SERVICE_ACCOUNT}`, `--regid=${SERVICE_ACCOUNT}`, '--clear-groups', '/bin/sh', '-c', applyCommands('nftables')[0]], { env, encoding: 'utf8' });
    };
    let runtime = '';
    beforeEach(() => {
      chmodSync(scratch, 0o755);
      chmodSync(standIn, 0o755);
      writeFileSync(log, '');
      chmodSync(log, 0o666);
      runtime = join(scratch, 'runtime');
      mkdirSync(runtime, { mode: 0o700 });
      spawnSync('chown', [`${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}`, runtime]);
    });

    test('made there with mode 0700 when missing', () => {
      const result = asBackups(runtime);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const stats = lstatSync(join(runtime, 'restic-backup-server'));
      expect((stats.mode & 0o7777).toString(8)).toBe('700');
    });

    test('refused when the name is a link, even to a good directory', () => {
      const elsewhere = join(runtime, 'elsewhere');
      mkdirSync(elsewhere, { mode: 0o700 });
      spawnSync('chown', ['-R', `${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}`, runtime]);
      symlinkSync(elsewhere, join(runtime, 'restic-backup-server'));
      const result = asBackups(runtime);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^refusing the firewall lock directory .*\/runtime\/restic-backup-server: it must be a directory \(not a link\) of uid \d+ with mode 0700\n$/);
      expect(readFileSync(log, 'utf8')).toBe('');
    });

    test('refused when others may write it', () => {
      mkdirSync(join(runtime, 'restic-backup-server'));
      chmodSync(join(runtime, 'restic-backup-server'), 0o777);
      spawnSync('chown', ['-R', `${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}`, runtime]);
      const result = asBackups(runtime);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('it must be a directory (not a link) of uid');
      expect(readFileSync(log, 'utf8')).toBe('');
    });

    test('without XDG_RUNTIME_DIR, the step stops and says why', () => {
      const result = asBackups(undefined);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('the firewall lock of a non-root deploy lives in XDG_RUNTIME_DIR, which is not set');
      expect(readFileSync(log, 'utf8')).toBe('');
    });
  });
});
