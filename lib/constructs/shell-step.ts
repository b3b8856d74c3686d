/**
 * A null_resource that runs one shell command on the server at deploy time, optionally one more
 * when it is destroyed or replaced. The create command re-runs whenever its text changes. Both reach
 * Terraform escaped (terraformLiteral), so shell `${...}` is not read as an interpolation.
 */
import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { NullResource, type ITerraformDependable } from '../terraform';
import { COMMAND_INTERPRETER } from '../render/script';
import { terraformLiteral } from '../render/terraform-literal';
import { withDependencies } from './dependencies';

export interface ShellStepProps {
  /** Runs at creation and again whenever its text changes. */
  readonly command: string;
  /**
   * Runs before the resource is destroyed or replaced. Kept in the triggers and read back through
   * `self.triggers`, so a replacement runs the command of the *old* configuration, matching what is
   * really on the server.
   * @default - nothing runs on destroy
   */
  readonly onDestroy?: string;
  /**
   * More values whose change re-runs the step (and runs `onDestroy` first).
   * @default - none
   */
  readonly triggers?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function shellStep(scope: Construct, id: string, props: ShellStepProps): NullResource {
  const interpreter = [...COMMAND_INTERPRETER];
  return withDependencies(props.dependsOn, (dependsOn) => new NullResource(scope, id, {
    triggers: {
      command_sha256: sha256(props.command),
      ...(props.onDestroy === undefined ? {} : { on_destroy: terraformLiteral(props.onDestroy) }),
      ...props.triggers,
    },
    dependsOn,
    provisioners: [
      { type: 'local-exec', command: terraformLiteral(props.command), interpreter },
      ...(props.onDestroy === undefined ? [] : [{ type: 'local-exec' as const, when: 'destroy' as const, command: '${self.triggers.on_destroy}', interpreter }]),
    ],
  }));
}
