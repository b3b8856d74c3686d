/** Errors of the test applier: what it refuses to interpret, and what failed while applying. */

/** The configuration uses something the applier does not implement (and so cannot apply faithfully). */
export class UnsupportedConfigurationError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'UnsupportedConfigurationError';
  }
}

/** A provisioner exited non-zero or could not be started; Terraform would stop the apply here. */
export class ProvisionerFailedError extends Error {
  constructor(
    readonly address: string,
    readonly when: 'create' | 'destroy',
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(`${address}: ${when}-time provisioner failed (exit ${exitCode ?? 'by signal'}):\n${output}`);
    this.name = 'ProvisionerFailedError';
  }
}
