/**
 * Every import from cdktf and its providers, in one place: HashiCorp archived CDKTF and the
 * community continues it as CDK Terrain (`cdktn`, `@cdktn/provider-*`); moving there is a change of
 * this file's import lines (and package.json), nothing else.
 */
export { App, LocalBackend, TerraformOutput, TerraformResource, TerraformStack, Testing } from 'cdktf';
export type { ITerraformDependable, TerraformElement } from 'cdktf';
export { LocalProvider } from '@cdktf/provider-local/lib/provider';
export { File as LocalFile } from '@cdktf/provider-local/lib/file';
export { NullProvider } from '@cdktf/provider-null/lib/provider';
export { Resource as NullResource } from '@cdktf/provider-null/lib/resource';
