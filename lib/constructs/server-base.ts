/**
 * What the server has once, whatever its hosts:
 *   layout                 null_resource  root, conf/, conf/runit/
 *   systemd-unit           local_file     the unit running runsvdir on conf/runit/
 *   systemd-activation     null_resource  daemon-reload, enable, restart on unit change (if managed)
 *   retire-removed-hosts   null_resource  unlinks and stops hosts that left hosts.ts
 */
import { Construct } from 'constructs';
import type { NullResource } from '../terraform';
import type { ResolvedServer } from '../config/resolve';
import { renderSystemdUnit } from '../render/systemd-unit';
import { renderRetireRemovedHostsCommand, renderServerLayoutCommand, renderSystemdActivationCommand } from '../render/server-commands';
import { sha256, shellStep } from './shell-step';
import { generatedFile } from './generated-file';

export interface ServerBaseProps {
  readonly server: ResolvedServer;
  /** Names of every host in hosts.ts; any other enabled host made by this project is retired. */
  readonly hostNames: readonly string[];
}

export class ServerBase extends Construct {
  /** Hosts depend on this: the root and conf/runit exist with their owners. */
  readonly layout: NullResource;

  constructor(scope: Construct, id: string, props: ServerBaseProps) {
    super(scope, id);
    const { server } = props;
    this.layout = shellStep(this, 'layout', { command: renderServerLayoutCommand(server) });

    const unitContent = renderSystemdUnit(server);
    const unit = generatedFile(this, 'systemd-unit', { path: server.systemd.unitPath, content: unitContent, mode: '0644', dependsOn: [this.layout] });
    if (server.systemd.manage) {
      shellStep(this, 'systemd-activation', {
        command: renderSystemdActivationCommand(server),
        triggers: { unit_sha256: sha256(unitContent) },
        dependsOn: [unit, this.layout],
      });
    }

    shellStep(this, 'retire-removed-hosts', {
      command: renderRetireRemovedHostsCommand(server, props.hostNames),
      dependsOn: [this.layout],
    });
  }
}
