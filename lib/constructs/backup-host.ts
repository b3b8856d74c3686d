/**
 * One client host: its tree, credentials, runit services and enabling link.
 *
 * Resources (construct ids are API: renaming one replaces the resource on every server):
 *   layout                  null_resource  directories, TLS links, marker, and the credentials,
 *                                          generated once on the server, never in state
 *   <storage>-run           local_file     storage service run script
 *   <storage>-log-run       local_file
 *   backup-syncd-run        local_file
 *   backup-syncd-log-run    local_file
 *   runsvdir-run            local_file     the host's own supervisor
 *   runsvdir-log-run        local_file
 *   replica-sync            local_file     conf/replica_sync
 *   syncd-log-conf          local_file     conf/backup-syncd.log.conf
 *   service                 null_resource  the conf/runit link; replaced (host restarted) when a
 *                                          run script changes
 * 10 in all, plus the outputs repository-url and credentials-file, plus
 *   firewall                HostFirewall   the host's firewall opening (lib/constructs/host-firewall.ts)
 */
import { Construct } from 'constructs';
import { TerraformOutput, type ITerraformDependable } from '../terraform';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import { hostPaths, logDir, serviceDir, RUNSVDIR_SERVICE, SYNCD_SERVICE, type HostPaths } from '../layout/paths';
import { storageBackend } from '../storage/registry';
import { STORAGE_KINDS } from '../storage/kinds';
import type { StorageContext } from '../storage/storage-backend';
import { renderLogRun, renderRunsvdirRun, renderSyncdRun } from '../render/runit-scripts';
import { renderDisableCommand, renderEnableCommand, renderLayoutCommand, renderPrepareCommand } from '../render/host-commands';
import { renderReplicaSync } from '../render/replica-sync';
import { renderSyncdLogConf } from '../render/syncd-log-conf';
import { sha256, shellStep } from './shell-step';
import { generatedFile } from './generated-file';
import { HostFirewall } from './host-firewall';

export interface BackupHostProps {
  readonly server: ResolvedServer;
  readonly host: ResolvedHost;
  /** Server resources that must exist first (the root and conf/runit). */
  readonly dependsOn: readonly ITerraformDependable[];
}

interface GeneratedFile {
  readonly id: string;
  readonly path: string;
  readonly content: string;
  readonly mode: string;
  /** Part of what the running services have read: a change restarts the host. */
  readonly restartsServices: boolean;
}

export class BackupHost extends Construct {
  readonly paths: HostPaths;
  readonly repositoryUrl: string;
  readonly credentialsFile: string;

  constructor(scope: Construct, props: BackupHostProps) {
    const { server, host } = props;
    super(scope, host.name);
    const backend = storageBackend(host.storage);
    this.paths = hostPaths(server.root, host.name, host.storage);
    const context: StorageContext = { server, host, paths: this.paths };
    this.repositoryUrl = backend.clientUrl(context);
    this.credentialsFile = backend.credentialsFile(this.paths);

    const layout = shellStep(this, 'layout', {
      command: renderPrepareCommand(renderLayoutCommand(server, host, this.paths, backend.binary(server)), backend.renderCredentialsCommand(context)),
      dependsOn: props.dependsOn,
    });

    const files = generatedFiles(context, backend.renderRunScript(context), backend.watchRoot(context)).map(
      (file) => ({ file, resource: generatedFile(this, file.id, { path: file.path, content: file.content, mode: file.mode, directoryMode: '0750', dependsOn: [layout] }) }),
    );
    const restartKey = sha256(files.filter(({ file }) => file.restartsServices).map(({ file }) => `${file.path}\0${file.content}`).join('\0'));

    shellStep(this, 'service', {
      command: renderEnableCommand(this.paths, STORAGE_KINDS.filter((kind) => kind !== host.storage)),
      onDestroy: renderDisableCommand(this.paths),
      triggers: { services_sha256: restartKey },
      dependsOn: [layout, ...files.map(({ resource }) => resource)],
    });

    new HostFirewall(this, 'firewall', { server, host, dependsOn: props.dependsOn });

    new TerraformOutput(this, 'repository-url', { value: this.repositoryUrl, description: `restic repository of ${host.name}` });
    new TerraformOutput(this, 'credentials-file', { value: this.credentialsFile, description: `credentials of ${host.name}, on the server only` });
  }
}

function generatedFiles({ server, host, paths }: StorageContext, storageRun: string, watchRoot: string): GeneratedFile[] {
  const runScript = (service: string, content: string): GeneratedFile[] => {
    const dir = service === RUNSVDIR_SERVICE ? paths.runsvdirService : serviceDir(paths, service);
    return [
      { id: `${service}-run`, path: `${dir}/run`, content, mode: '0755', restartsServices: true },
      { id: `${service}-log-run`, path: `${dir}/log/run`, content: renderLogRun(paths, service, logDir(paths, service)), mode: '0755', restartsServices: true },
    ];
  };
  return [
    ...runScript(host.storage, storageRun),
    ...runScript(SYNCD_SERVICE, renderSyncdRun(server, paths, watchRoot, host)),
    ...runScript(RUNSVDIR_SERVICE, renderRunsvdirRun(paths)),
    { id: 'replica-sync', path: paths.replicaSync, content: renderReplicaSync({ server, host, paths }), mode: '0755', restartsServices: false },
    { id: 'syncd-log-conf', path: paths.syncdLogConf, content: renderSyncdLogConf(host.name), mode: '0644', restartsServices: true },
  ];
}
