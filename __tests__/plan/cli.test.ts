/** The command as operators run it: a subprocess through tsx, exit codes like terraform's -detailed-exitcode. */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../lib/config/types';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { configFor, makeOriginalHost, makeProjectHost, makeRoot, removeRoot, SERVER_NAME } from './disk-fixtures';

const REPO = join(__dirname, '..', '..');
const A: HostConfig = { name: 'a.test', port: 9001 };
const B: HostConfig = { name: 'b.test', port: 9002 };

// As root only: the plan refuses a root whose ancestors another account owns (lib/security/ancestors.ts),
// and a temporary root made by another user is such a root.
describeAsRootWithServiceAccount([], 'npm run plan as operators run it', () => {
  let root: string;
  beforeEach(() => {
    root = makeRoot();
  });
  afterEach(() => removeRoot(root));

  /** A hosts file as the operator writes it, for the test's root (--root must agree unless --disk-only). */
  function hostsFile(hosts: readonly HostConfig[], server: Record<string, unknown> = {}): string {
    const file = join(root, '..', 'hosts.ts');
    writeFileSync(file, `export default ${JSON.stringify({ server: { serverName: SERVER_NAME, root, ...server }, hosts })};\n`);
    return file;
  }

  interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
  }

  function plan(args: readonly string[], env: Record<string, string> = {}): Run {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/plan.ts', '--root', root, ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, PLAN_CDKTF_COMMAND: 'echo cdktf-plan-ran; echo cdktf-stderr >&2', ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function deploy(hosts: readonly HostConfig[]): void {
    const config = configFor(root, hosts);
    for (const host of config.hosts) makeProjectHost(config, host.name);
  }

  /** Every path under the root with its type, mode, size, link target and modification time. */
  function treeState(): string {
    return spawnSync('find', [join(root, '..'), '-printf', '%p %y %m %s %l %T@ %C@\n'], { encoding: 'utf8' }).stdout.split('\n').sort().join('\n');
  }

  test('exit 0 without changes, then cdktf plan runs', () => {
    deploy([A]);
    const run = plan(['--config', hostsFile([A])]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Plan for .*\n[\s\S]*No changes: the disk matches hosts.ts \(1 host\)\.\ncdktf-plan-ran\n$/);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  test('exit 2 with changes; --disk-only and PLAN_DISK_ONLY skip cdktf plan', () => {
    deploy([A]);
    const file = hostsFile([A, B]);
    const withCdktf = plan(['--config', file]);
    expect(withCdktf.status).toBe(2);
    expect(withCdktf.stdout).toContain('+ b.test');
    expect(withCdktf.stdout).toContain('cdktf-plan-ran');
    for (const run of [plan(['--config', file, '--disk-only']), plan(['--config', file], { PLAN_DISK_ONLY: '1' })]) {
      expect(run.status).toBe(2);
      expect(run.stdout).toContain('Plan: 1 new, 0 adopted, 0 changed, 0 removed (nothing deleted), 1 unchanged.');
      expect(run.stdout).not.toContain('cdktf-plan-ran');
    }
  });

  test('exit 1 on a conflict, and cdktf plan does not run', () => {
    deploy([A]);
    const run = plan(['--config', hostsFile([{ name: 'c.test', port: 9001 }])]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('! c.test: port 9001 is used on disk by a.test');
    expect(run.stdout).not.toContain('cdktf-plan-ran');
    expect(run.stderr).toBe('plan: not running cdktf plan: resolve the conflicts and errors above first\n');
  });

  test('exit 1 when cdktf plan fails', () => {
    deploy([A]);
    const run = plan(['--config', hostsFile([A])], { PLAN_CDKTF_COMMAND: 'exit 3' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('plan: cdktf plan failed (exit 3)');
  });

  test('--json: only the plan on stdout, cdktf output goes to stderr', () => {
    makeOriginalHost(root, 'old.test', 9100);
    const run = plan(['--config', hostsFile([{ name: 'old.test', port: 9100, replica: { replaceLegacyScript: true } }]), '--json', '--sizes']);
    expect(run.status).toBe(2);
    const parsed = JSON.parse(run.stdout);
    expect(parsed).toMatchObject({ format: 1, root, exitCode: 2, rows: [{ name: 'old.test', action: 'adopted', credentials: true }] });
    expect(parsed.rows[0].sizeBytes).toBeGreaterThan(1000);
    expect(run.stderr).toBe('cdktf-plan-ran\ncdktf-stderr\n');
  });

  test('--markdown prints the pull-request comment', () => {
    const run = plan(['--config', hostsFile([A]), '--markdown', '--disk-only']);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^### Plan for \/.*: hosts.ts against the disk\n/);
    expect(run.stdout).toContain('| `+` | a.test | new | 9001 | minio | no | - |  |');
  });

  test('--json and --markdown together are refused', () => {
    const run = plan(['--config', hostsFile([A]), '--json', '--markdown']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--json.*cannot be used with.*--markdown/);
    expect(run.stdout).toBe('');
  });

  test('an invalid hosts file is exit 1 with the problems listed', () => {
    const run = plan(['--config', hostsFile([{ name: 'a.test', port: 80 }])]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^hosts.ts has 1 problem; nothing was synthesized:\n {2}- hosts\[0\]\.port/);
    expect(run.stdout).toBe('');
  });

  test('a conf/runit entry that is not a link is a conflict: exit 1', () => {
    deploy([A]);
    writeFileSync(join(root, 'conf', 'runit', 'x.test'), '');
    const run = plan(['--config', hostsFile([A])]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('! x.test: conf/runit/x.test is not a link');
  });

  describeAsRootWithServiceAccount(['setpriv'], 'as the backups user', () => {
    test('a host directory it cannot read is exit 1, naming the path', () => {
      makeOriginalHost(root, 'closed.test', 9100, { enabled: false });
      chmodSync(join(root, 'closed.test'), 0o700);
      const result = spawnSync('setpriv', ['--reuid=backups', '--regid=backups', '--clear-groups', process.execPath, '--import', 'tsx', 'bin/plan.ts', '--root', root, '--config', hostsFile([A]), '--disk-only'], { cwd: REPO, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`Errors (the plan is incomplete):\n  cannot read ${root}/closed.test/conf/backup-server.json (EACCES)\n`);
      expect(result.stdout).toContain('Plan stopped by 1 unreadable path');
    });
  });

  test('changes nothing on disk', () => {
    deploy([A, B]);
    makeOriginalHost(root, 'old.test', 9100);
    writeFileSync(join(root, 'stray'), 'x');
    const file = hostsFile([{ ...A, port: 9005 }, { name: 'old.test', port: 9100, replica: { replaceLegacyScript: true } }, { name: 'new.test', port: 9010 }]);
    const before = treeState();
    expect(plan(['--config', file, '--sizes']).status).toBe(2);
    expect(plan(['--config', file, '--json']).status).toBe(2);
    expect(treeState()).toBe(before);
  });

  test('npm run plan wires the command', () => {
    deploy([A]);
    const result = spawnSync('npm', ['run', '--silent', 'plan', '--', '--root', root, '--config', hostsFile([A]), '--disk-only'], { cwd: REPO, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No changes: the disk matches hosts.ts (1 host).');
  });

  test('--root applies to both halves or is refused: without --disk-only it must be server.root of hosts.ts', () => {
    deploy([A]);
    const file = hostsFile([A], { root: '/nonexistent/root' });
    const refused = plan(['--config', file]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`plan: --root ${root} would apply to the disk half only: cdktf plan synthesizes hosts.ts, whose server.root is /nonexistent/root; set server.root in hosts.ts, or add --disk-only\n`);
    const diskOnly = plan(['--config', file, '--disk-only']);
    expect(diskOnly.status).toBe(0);
    expect(diskOnly.stdout).toContain('No changes: the disk matches hosts.ts (1 host).');
  });
});
