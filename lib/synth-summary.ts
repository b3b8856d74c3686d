/** The one line `npm run synth` prints on success: what was written, and where. */
import { relative } from 'node:path';
import { TerraformResource } from './terraform';
import type { BackupServerStack } from './constructs/backup-server-stack';

/** The synthesized file of a stack, relative to `cwd` when inside it (cdktf's layout of its outdir). */
export function stackOutputPath(outdir: string, stackName: string, cwd: string): string {
  const absolute = `${outdir.startsWith('/') ? outdir : `${cwd}/${outdir}`}/stacks/${stackName}/cdk.tf.json`;
  const inside = relative(cwd, absolute);
  return inside.startsWith('..') ? absolute : inside;
}

export function synthSummary(stack: BackupServerStack, outputPath: string): string {
  const hosts = stack.config.hosts.length;
  const resources = stack.node.findAll().filter((construct) => TerraformResource.isTerraformResource(construct)).length;
  return `synthesized stack ${stack.node.id}: ${hosts} host${hosts === 1 ? '' : 's'}, ${resources} resources -> ${outputPath}`;
}
