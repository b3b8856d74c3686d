/** The common frame of every generated script and provisioner command. */

export const GENERATED_NOTICE = 'Generated from hosts.ts by restic-backup-server; local edits are overwritten.';

/** An executable /bin/sh script: shebang, purpose, notice, body. */
export function renderScript(purpose: string, body: readonly string[]): string {
  return ['#!/bin/sh', `# ${purpose}`, `# ${GENERATED_NOTICE}`, ...body, ''].join('\n');
}

/**
 * The body of a Terraform local-exec provisioner, run with `/bin/sh -c`. It stops at the first
 * failing command so that Terraform reports the failure instead of recording a half-done step.
 */
export function renderCommand(purpose: string, body: readonly string[]): string {
  return [`# ${purpose}`, 'set -eu', ...body].join('\n');
}

/** The interpreter of every provisioner: plain POSIX sh, as on the server. */
export const COMMAND_INTERPRETER: readonly string[] = ['/bin/sh', '-c'];
