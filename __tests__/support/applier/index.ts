/** A stand-in for `terraform apply` limited to what our stack emits (hashicorp/local and hashicorp/null). */
export { applyConfiguration, type ApplyOptions, type ApplyReport } from './apply';
export { parseConfiguration, type Configuration, type DesiredResource, type LocalExec } from './configuration';
export { planApply, type Action, type Plan } from './plan';
export { evaluateTemplate } from './template';
export { ProvisionerFailedError, UnsupportedConfigurationError } from './errors';
export type { ProvisionerRun } from './provisioner';
export { readState, type State } from './state';
