/**
 * The stack's synthesizer: cdktf 0.21's `StackSynthesizer.synthesize`, step for step (aspects,
 * the Terraform version check of moved resources, validations, custom synthesis, annotations into
 * the manifest, stopping at an error annotation), with one change: the JSON is written by
 * `stableJsonBytes` (./stable-json.ts) or the stack's own equivalent, the same bytes made a third
 * as fast. HCL output (SYNTH_HCL_OUTPUT) is left to cdktf's own synthesizer.
 * __tests__/constructs/stack-synthesizer.test.ts compares every file of the output with cdktf's
 * own, so a cdktf upgrade that changes a step fails there first.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConstructOrder, type IConstruct, type MetadataEntry } from 'constructs';
import {
  AnnotationMetadataEntryType,
  encounteredAnnotationWithLevelError,
  invokeAspects,
  ValidateTerraformVersion,
  type IStackSynthesizer,
  type ISynthesisSession,
  type StackAnnotation,
  type TerraformStack,
} from '../terraform';

/** Where cdktf keeps a construct's custom synthesis (its addCustomSynthesis). */
const CUSTOM_SYNTHESIS = Symbol.for('cdktf/customSynthesis');

const customSynthesisOf = (node: IConstruct) => (node as { [CUSTOM_SYNTHESIS]?: { onSynthesize(session: ISynthesisSession): void } })[CUSTOM_SYNTHESIS];

const ANNOTATION_LEVELS: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];

function annotationsOf(node: IConstruct): StackAnnotation[] {
  return node.node.metadata
    .filter((entry: MetadataEntry) => ANNOTATION_LEVELS.includes(entry.type))
    .map((entry: MetadataEntry) => ({
      constructPath: node.node.path,
      level: entry.type as AnnotationMetadataEntryType,
      message: entry.data as string,
      stacktrace: entry.trace,
    }));
}

export class StableJsonSynthesizer implements IStackSynthesizer {
  // cdktf's settings, read from its environment variables when the stack is made, as cdktf does.
  private readonly hclOutput = process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1';
  private readonly continueOnErrorAnnotations = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;

  /**
   * @param stack the stack to synthesize; make this synthesizer in the stack's constructor
   * @param cdktfSynthesizer the synthesizer cdktf gave the stack, which writes HCL output
   * @param jsonBytes the stack's Terraform JSON as bytes: stableJsonBytes (./stable-json.ts) of
   *   its toTerraform(), or the same bytes made another way
   */
  constructor(
    private readonly stack: TerraformStack,
    private readonly cdktfSynthesizer: IStackSynthesizer,
    private readonly jsonBytes: () => Buffer | undefined,
  ) {}

  synthesize(session: ISynthesisSession): void {
    if (this.hclOutput) {
      this.cdktfSynthesizer.synthesize(session);
      return;
    }
    const stack = this.stack;
    invokeAspects(stack);
    if (stack.hasResourceMove()) {
      stack.node.addValidation(new ValidateTerraformVersion('>=1.5', 'Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.'));
    }
    if (!session.skipValidation) stack.runAllValidations();

    const stackManifest = session.manifest.forStack(stack);
    const workingDirectory = join(session.outdir, stackManifest.workingDirectory);
    if (!existsSync(workingDirectory)) mkdirSync(workingDirectory);
    // Custom synthesis runs leaves first. The tree is walked in that order, and again for the
    // annotations (custom synthesis may add constructs), only when a construct has one.
    let nodes = stack.node.findAll();
    if (nodes.some((node) => customSynthesisOf(node) !== undefined)) {
      for (const node of stack.node.findAll(ConstructOrder.POSTORDER)) customSynthesisOf(node)?.onSynthesize(session);
      nodes = stack.node.findAll();
    }

    const annotations = nodes.flatMap(annotationsOf);
    // Read-only to everyone else; cdktf's synthesizer is where it is written.
    (stackManifest as { annotations: StackAnnotation[] }).annotations = annotations;
    const errors = annotations.filter((annotation) => annotation.level === AnnotationMetadataEntryType.ERROR);
    if (errors.length > 0 && !this.continueOnErrorAnnotations) {
      throw encounteredAnnotationWithLevelError(errors.map((annotation) => `[${annotation.constructPath}] ${annotation.message}`).join('\n'));
    }

    const bytes = this.jsonBytes();
    if (bytes === undefined) throw new Error(`stack ${stack.node.path} synthesized to nothing`);
    writeFileSync(join(session.outdir, stackManifest.synthesizedStackPath), bytes);
  }
}
