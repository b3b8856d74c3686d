/**
 * A local_file holding text this project generated. Like shellStep for commands, it is the one
 * place where file contents are escaped for Terraform (terraformLiteral), so no generated file can
 * carry a shell `${...}` that Terraform would read as an interpolation.
 */
import type { Construct } from 'constructs';
import { LocalFile, type ITerraformDependable } from '../terraform';
import { terraformLiteral } from '../render/terraform-literal';
import { withDependencies } from './dependencies';

export interface GeneratedFileProps {
  readonly path: string;
  /** The text as it must end up on disk. */
  readonly content: string;
  /** Octal mode of the file, e.g. '0755'. */
  readonly mode: string;
  /**
   * Mode of parent directories Terraform has to create (normally the layout step made them).
   * @default '0755'
   */
  readonly directoryMode?: string;
  /** @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export function generatedFile(scope: Construct, id: string, props: GeneratedFileProps): LocalFile {
  return withDependencies(props.dependsOn, (dependsOn) => new LocalFile(scope, id, {
    filename: props.path,
    content: terraformLiteral(props.content),
    filePermission: props.mode,
    directoryPermission: props.directoryMode ?? '0755',
    dependsOn,
  }));
}
