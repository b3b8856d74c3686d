/**
 * A whole backup server in a temporary directory, driven as production drives it: the stack is
 * synthesized, applied by the test applier (as `cdktf deploy` would), and run by a top-level
 * runsvdir started the way backup-minio.service starts it. Everything it starts is killed by pid in
 * `teardown()`, even after a failed test.
 *
 *   const server = TestServer.create('e2e-minio');
 *   await server.apply({ server: server.serverConfig(), hosts: [...] });
 *   server.startSupervisor();
 *   await server.waitForHost('ahost.example.com');
 *   ...
 *   await server.teardown();
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupServerStack, DEFAULT_STACK_NAME, hostPaths, type BackupServerConfig, type HostPaths, type ServerConfig, type StorageKind } from '../../../lib';
import { App, Testing } from '../../../lib/terraform';
import { applyConfiguration, type ApplyReport } from '../applier';
import { describeProcesses, killPids, listProcesses, processesUsing, processTree, type ProcessInfo } from './processes';
import { startSupervisor, waitFor, waitForRunning, type ServiceStatus, type Supervisor } from './runit';
import { writeBackupSyncdStandIn, writeMinioStandIn } from './stand-ins';
import { makeTestCertificate } from '../tls';

export { SERVICE_ACCOUNT } from '../accounts';

export class TestServer {
  /** Mode 0755 all the way down to here, so the service user reaches what it must read. */
  readonly base: string;
  /** The server root (what /backups/systems is in production); made by the stack's layout step. */
  readonly root: string;
  readonly tlsCertificate: string;
  readonly tlsKey: string;
  /** Where the stand-ins record how they were started; writable by every host's accounts (sticky, like /tmp). */
  readonly records: string;
  readonly minioStandIn: string;
  readonly backupSyncdStandIn: string;
  private readonly applierState: string;
  private supervisor: Supervisor | undefined;

  static create(prefix: string): TestServer {
    return new TestServer(mkdtempSync(join(tmpdir(), `${prefix}-`)));
  }

  private constructor(base: string) {
    this.base = base;
    chmodSync(base, 0o755);
    this.root = join(base, 'systems');

    const tls = makeTestCertificate(base, ['backup.test', 'localhost']);
    this.tlsCertificate = tls.certificate;
    this.tlsKey = tls.key;

    this.records = join(base, 'records');
    mkdirSync(this.records);
    chmodSync(this.records, 0o1777);
    const standIns = join(base, 'stand-ins');
    mkdirSync(standIns, { mode: 0o755 });
    this.minioStandIn = writeMinioStandIn(standIns, this.records);
    this.backupSyncdStandIn = writeBackupSyncdStandIn(standIns, this.records);
    this.applierState = join(base, 'applier-state.json');
  }

  /** Server settings pointing into the temporary directory; `overrides` win (e.g. a real backup-syncd). */
  serverConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
    return {
      serverName: 'backup.test',
      root: this.root,
      tlsCertificate: this.tlsCertificate,
      tlsKey: this.tlsKey,
      minioBinary: this.minioStandIn,
      backupSyncdCommand: this.backupSyncdStandIn,
      systemd: { unitPath: join(this.base, 'systemd', 'backup-minio.service'), manage: false },
      backend: { localStatePath: join(this.base, 'terraform', 'terraform.tfstate') },
      // Never this machine's own firewall: the rules are proven inside network namespaces
      // (__tests__/firewall); here they would change the ruleset of the machine running the tests.
      firewall: { backend: 'none' },
      ...overrides,
    };
  }

  /** Synthesizes the stack for `config` and applies it; the JSON is kept as `<base>/cdk.tf.json`. */
  async apply(config: BackupServerConfig): Promise<ApplyReport> {
    const synthesized = Testing.synth(new BackupServerStack(new App(), DEFAULT_STACK_NAME, { config }));
    const file = join(this.base, 'cdk.tf.json');
    writeFileSync(file, synthesized);
    return applyConfiguration({ configuration: file, statePath: this.applierState, workingDirectory: this.base });
  }

  hostPaths(name: string, storage: StorageKind = 'minio'): HostPaths {
    return hostPaths(this.root, name, storage);
  }

  /** Starts the top-level runsvdir (once). */
  startSupervisor(): Supervisor {
    if (this.supervisor !== undefined) throw new Error('the supervisor already runs');
    this.supervisor = startSupervisor(this.root);
    return this.supervisor;
  }

  /** What systemd does on `systemctl stop` (KillSignal=SIGHUP, KillMode=process); resolves with runsvdir's exit. */
  async stopSupervisor(): Promise<number | NodeJS.Signals> {
    if (this.supervisor === undefined) throw new Error('the supervisor does not run');
    process.kill(this.supervisor.pid, 'SIGHUP');
    return this.supervisor.exited;
  }

  /** Waits for the host's own runsvdir and each of its services (with their loggers) to run. */
  async waitForHost(name: string, storage: StorageKind = 'minio'): Promise<Record<string, ServiceStatus>> {
    const paths = this.hostPaths(name, storage);
    const statuses: Record<string, ServiceStatus> = { runsvdir: await waitForRunning(paths.runsvdirService) };
    for (const service of paths.services) statuses[service] = await waitForRunning(`${paths.runsvs}/${service}`);
    return statuses;
  }

  /** Live processes that work in or name the host's directory. */
  processesOfHost(name: string): ProcessInfo[] {
    return processesUsing(join(this.root, name));
  }

  /** Live processes that work in or name the server root (every host's, and the top-level runsvdir). */
  processesOfServer(): ProcessInfo[] {
    return processesUsing(this.root);
  }

  /** Kills (by pid) the supervisor's whole tree and anything else using the temporary directory, then removes it. */
  async teardown(): Promise<void> {
    const supervisor = this.supervisor;
    const stragglers = () => {
      const processes = listProcesses();
      return [...(supervisor?.running() ? processTree(supervisor.pid, processes) : []), ...processesUsing(this.base, processes)];
    };
    await waitFor('every test process to be killed', () => {
      const left = stragglers();
      killPids(left.map(({ pid }) => pid));
      return left.length === 0;
    }, { timeoutMs: 10_000, intervalMs: 100, describe: () => describeProcesses(stragglers()) });
    rmSync(this.base, { recursive: true, force: true });
  }
}
