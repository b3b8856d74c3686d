/**
 * The stack's synthesizer (lib/constructs/stack-synthesizer.ts) must leave exactly what cdktf's
 * StackSynthesizer leaves: every file of the output directory, byte for byte, the same annotations,
 * the same refusals. Each case synthesizes two identical apps, one with cdktf's synthesizer put
 * back, and compares.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Annotations, Aspects, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { App, BackupServerStack, type BackupServerConfig } from '../../lib';
import { StableJsonSynthesizer } from '../../lib/constructs/stack-synthesizer';
// cdktf's own synthesizer, which this project's must match (not part of cdktf's index).
import { addCustomSynthesis, StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import { EVERY_SHAPE, example } from '../support/fixtures';

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every file under `dir`, by path relative to it. */
function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

type Synthesizer = 'ours' | 'cdktf';

/** Synthesizes `config` into a fresh directory, with our synthesizer or cdktf's; `prepare` may add to the stack first. */
function synthesizeWith(synthesizer: Synthesizer, config: BackupServerConfig, prepare: (stack: BackupServerStack) => void = () => {}): { outdir: string; error?: Error } {
  const outdir = mkdtempSync(join(tmpdir(), 'stack-synthesizer-'));
  scratch.push(outdir);
  const stack = new BackupServerStack(new App({ outdir }), 'backup-server', { config });
  if (synthesizer === 'cdktf') {
    // Made as cdktf's TerraformStack constructor makes it.
    const hclOutput = process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1';
    stack.synthesizer = new StackSynthesizer(stack, process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined, hclOutput);
  }
  prepare(stack);
  try {
    (stack.node.scope as App).synth();
    return { outdir };
  } catch (error) {
    return { outdir, error: error as Error };
  }
}

function expectSameOutput(config: BackupServerConfig, prepare?: (stack: BackupServerStack) => void): Map<string, Buffer> {
  // From one line, so that the stack traces annotations record are the same.
  const [ours, theirs] = (['ours', 'cdktf'] as const).map((synthesizer) => synthesizeWith(synthesizer, config, prepare)) as [ReturnType<typeof synthesizeWith>, ReturnType<typeof synthesizeWith>];
  expect(ours.error).toEqual(theirs.error);
  const [ourFiles, theirFiles] = [filesOf(ours.outdir), filesOf(theirs.outdir)];
  expect([...ourFiles.keys()]).toEqual([...theirFiles.keys()]);
  for (const [path, bytes] of theirFiles) {
    expect({ path, text: ourFiles.get(path)!.toString('utf8') }).toEqual({ path, text: bytes.toString('utf8') });
    expect(ourFiles.get(path)!.equals(bytes)).toBe(true);
  }
  return ourFiles;
}

test('the stack synthesizes with this project’s synthesizer', () => {
  const stack = new BackupServerStack(new App(), 'backup-server', { config: example });
  expect(stack.synthesizer).toBeInstanceOf(StableJsonSynthesizer);
});

describe.each(EVERY_SHAPE)('%s', (_name, config) => {
  test('every file of the output is byte-identical to cdktf’s', () => {
    const files = expectSameOutput(config);
    expect([...files.keys()]).toEqual(['manifest.json', 'stacks/backup-server/cdk.tf.json']);
  });
});

describe('cdktf’s steps around the JSON', () => {
  test('aspects are invoked before the JSON is made', () => {
    const visited: string[] = [];
    const recordLayouts: IAspect = {
      visit(node: IConstruct) {
        if (node.node.path.endsWith('/layout')) visited.push(node.node.path);
      },
    };
    expectSameOutput(example, (stack) => Aspects.of(stack).add(recordLayouts));
    // Once for our synthesis, once for cdktf's.
    expect(visited.length).toBeGreaterThan(0);
    expect(visited.slice(0, visited.length / 2)).toEqual(visited.slice(visited.length / 2));
  });

  test('an aspect’s change to a resource reaches the JSON', () => {
    const files = expectSameOutput(example, (stack) =>
      Aspects.of(stack).add({
        visit(node: IConstruct) {
          if (node.node.path.endsWith('hosts/ahost.example.com/layout')) (node as unknown as { addOverride(path: string, value: unknown): void }).addOverride('triggers.aspect', 'visited');
        },
      }),
    );
    expect(files.get('stacks/backup-server/cdk.tf.json')!.toString('utf8')).toContain('"aspect": "visited"');
  });

  test('warnings and infos go into the manifest, with their construct paths', () => {
    const files = expectSameOutput(example, (stack) => {
      Annotations.of(stack).addWarning('a warning on the stack');
      Annotations.of(stack.hosts[0]!).addInfo('an info on a host');
    });
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { stacks: Record<string, { annotations: Array<{ constructPath: string; level: string; message: string }> }> };
    expect(manifest.stacks['backup-server']!.annotations.map(({ constructPath, level, message }) => ({ constructPath, level, message }))).toEqual([
      { constructPath: 'backup-server', level: '@cdktf/warn', message: 'a warning on the stack' },
      { constructPath: 'backup-server/hosts/ahost.example.com', level: '@cdktf/info', message: 'an info on a host' },
    ]);
  });

  test('an error annotation stops synthesis with cdktf’s message, before any JSON is written', () => {
    const addError = (stack: BackupServerStack) => Annotations.of(stack.hosts[0]!).addError('this host is wrong');
    const ours = synthesizeWith('ours', example, addError);
    expect(ours.error?.message).toContain('Encountered Annotations with level "ERROR":\n[backup-server/hosts/ahost.example.com] this host is wrong');
    expect(filesOf(ours.outdir).has('stacks/backup-server/cdk.tf.json')).toBe(false);
    expectSameOutput(example, addError);
  });

  test('with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, an error annotation is recorded and the JSON written', () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
    try {
      const files = expectSameOutput(example, (stack) => Annotations.of(stack).addError('recorded, not fatal'));
      expect(files.get('manifest.json')!.toString('utf8')).toContain('recorded, not fatal');
      expect(files.has('stacks/backup-server/cdk.tf.json')).toBe(true);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  test('a failing validation stops synthesis the same way', () => {
    expectSameOutput(example, (stack) => stack.hosts[0]!.node.addValidation({ validate: () => ['not valid here'] }));
    const ours = synthesizeWith('ours', example, (stack) => stack.hosts[0]!.node.addValidation({ validate: () => ['not valid here'] }));
    expect(ours.error?.message).toContain('not valid here');
  });

  test('custom synthesis runs on each construct that has one', () => {
    const calls: string[] = [];
    expectSameOutput(example, (stack) => addCustomSynthesis(stack.hosts[0]!, { onSynthesize: (session) => calls.push(filesOf(session.outdir).size === 0 ? 'before any file' : 'late') }));
    // Once for our synthesis, once for cdktf's, each before the JSON is written.
    expect(calls).toEqual(['before any file', 'before any file']);
  });

  test('HCL output (SYNTH_HCL_OUTPUT) is left to cdktf’s synthesizer', () => {
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const files = expectSameOutput(example);
      expect([...files.keys()]).toEqual(['manifest.json', 'stacks/backup-server/cdk.tf', 'stacks/backup-server/metadata.json']);
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
  });
});
