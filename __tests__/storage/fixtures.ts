/** Shared configurations of the storage tests: one host of a given storage kind. */
import { Testing } from 'cdktf';
import { BackupServerStack, type BackupServerConfig, type HostConfig, type StorageKind } from '../../lib';

export const SERVER_NAME = 'backup.example.com';

export function oneHostConfig(storage: StorageKind, host: Partial<HostConfig> = {}): BackupServerConfig {
  return {
    server: { serverName: SERVER_NAME, systemd: { manage: false } },
    hosts: [{ name: 'ahost.example.com', port: 9001, allowFrom: ['192.0.2.10/32'], storage, ...host }],
  };
}

export interface Synthesized {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: string }>;
}

export function synth(config: BackupServerConfig): Synthesized {
  const stack = new BackupServerStack(Testing.app(), 'backup-server', { config });
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** The resources and outputs of one host, keyed by logical id. */
export function hostResources(synthesized: Synthesized, hostName: string): Record<string, unknown> {
  const prefix = `hosts_${hostName.replace(/\./g, '_')}_`;
  const picked: Record<string, unknown> = {};
  for (const [type, resources] of Object.entries(synthesized.resource)) {
    for (const [id, body] of Object.entries(resources)) {
      if (id.startsWith(prefix)) picked[`${type}.${id}`] = body;
    }
  }
  for (const [id, body] of Object.entries(synthesized.output ?? {})) {
    if (id.startsWith(prefix)) picked[`output.${id}`] = body;
  }
  return picked;
}

export function localFile(synthesized: Synthesized, id: string): { filename: string; content: string; file_permission: string } {
  const file = synthesized.resource.local_file?.[id];
  if (!file) throw new Error(`no local_file ${id}; have ${Object.keys(synthesized.resource.local_file ?? {}).join(', ')}`);
  return file as { filename: string; content: string; file_permission: string };
}

export function shellCommand(synthesized: Synthesized, id: string): string {
  const resource = synthesized.resource.null_resource?.[id] as { provisioner: { 'local-exec': { command: string } }[] } | undefined;
  if (!resource) throw new Error(`no null_resource ${id}`);
  return resource.provisioner[0]!['local-exec'].command;
}
