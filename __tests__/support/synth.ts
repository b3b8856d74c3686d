/** Synthesizing a configuration the way tests need it. */
import { App, BackupServerStack, type BackupServerConfig } from '../../lib';
import { Testing } from '../../lib/terraform';
import { evaluateTemplate } from './applier/template';

export function synthStack(config: BackupServerConfig): BackupServerStack {
  return new BackupServerStack(new App(), 'backup-server', { config });
}

/** The synthesized stack as Terraform JSON text (keys sorted, metadata dropped). */
export function synthJson(config: BackupServerConfig): string {
  return Testing.synth(synthStack(config));
}

export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: string }>;
  readonly [key: string]: unknown;
}

export function synthObject(config: BackupServerConfig): TerraformJson {
  return JSON.parse(synthJson(config)) as TerraformJson;
}

/**
 * Every local-exec command (create and destroy) of every null_resource, by logical id, as the shell
 * receives it: Terraform's template escapes resolved and `${self.triggers.<name>}` filled in.
 */
export function provisionerCommands(json: TerraformJson): Array<{ id: string; command: string }> {
  const resources = json.resource.null_resource ?? {};
  return Object.entries(resources).flatMap(([id, resource]) => {
    const provisioners = (resource.provisioner as Array<{ 'local-exec': { command: string } }>) ?? [];
    const triggers = (resource.triggers as Record<string, string>) ?? {};
    const trigger = (name: string) => evaluateTemplate(triggers[name]!, `${id}.triggers.${name}`);
    return provisioners.map((p) => ({ id, command: evaluateTemplate(p['local-exec'].command, id, trigger) }));
  });
}

/** Every local_file, by logical id, with its content as Terraform writes it. */
export function localFiles(json: TerraformJson): Array<{ id: string; filename: string; content: string; file_permission: string }> {
  return Object.entries(json.resource.local_file ?? {}).map(([id, file]) => {
    const body = file as { filename: string; content: string; file_permission: string };
    return { id, ...body, content: evaluateTemplate(body.content, `${id}.content`) };
  });
}
