/**
 * Every import from cdktf and its providers, in one place: HashiCorp archived CDKTF and the
 * community continues it as CDK Terrain (`cdktn`, `@cdktn/provider-*`); moving there is a change of
 * this file's import lines (and package.json), nothing else.
 */
export { AnnotationMetadataEntryType, App, DefaultTokenResolver, LocalBackend, StringConcat, TerraformElement, TerraformOutput, TerraformResource, TerraformStack, Testing, Token, Tokenization } from 'cdktf';
// cdktf's own helpers of toTerraform, for lib/constructs/plain-synthesis.ts and resource-fragment.ts (same package, not re-exported by its index).
export { deepMerge, processDynamicAttributes, snakeCase } from 'cdktf/lib/util';
export type { IStackSynthesizer, ISynthesisSession, ITerraformDependable, StackAnnotation } from 'cdktf';
// The pieces of cdktf's StackSynthesizer that lib/constructs/stack-synthesizer.ts runs (same package, not re-exported by its index).
export { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
export { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
export { encounteredAnnotationWithLevelError } from 'cdktf/lib/errors';
export { LocalProvider } from '@cdktf/provider-local/lib/provider';
export { File as LocalFile } from '@cdktf/provider-local/lib/file';
export { NullProvider } from '@cdktf/provider-null/lib/provider';
export { Resource as NullResource } from '@cdktf/provider-null/lib/resource';
