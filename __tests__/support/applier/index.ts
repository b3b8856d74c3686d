/** A stand-in for `terraform apply` and `terraform destroy` limited to what our stack emits (hashicorp/local and hashicorp/null). */
export { applyConfiguration, type ApplyOptions, type ApplyReport } from './apply';
export { destroyAll, type DestroyOptions, type DestroyReport } from './destroy';
export type { ApplierOptions } from './options';
export { parseConfiguration, type Configuration, type DesiredResource, type LocalExec } from './configuration';
export { planApply, planDestroy, type Action, type Plan } from './plan';
export { evaluateTemplate } from './template';
export { ProvisionerFailedError, UnsupportedConfigurationError } from './errors';
export type { ProvisionerRun } from './provisioner';
export { readState, type State } from './state';
