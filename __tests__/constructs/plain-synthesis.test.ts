/**
 * The stack's own toTerraform (lib/constructs/plain-synthesis.ts) must give exactly what cdktf's
 * gives, for every shape of configuration, while resolving no value that holds no token.
 */
import { BackupServerStack } from '../../lib';
import * as plainValues from '../../lib/constructs/plain-values';
import { stableJsonBytes } from '../../lib/constructs/stable-json';
import { LocalFile, TerraformOutput, TerraformStack, Token, Tokenization } from '../../lib/terraform';
import { EVERY_SHAPE, example, host, withHosts } from '../support/fixtures';
import { synthStack } from '../support/synth';

const cdktfToTerraform = (stack: BackupServerStack): unknown => TerraformStack.prototype.toTerraform.call(stack);

/** What the synthesizer writes for the stack is what cdktf's toTerraform gives, written as cdktf writes it. */
function expectBytesOfCdktf(stack: BackupServerStack): void {
  const written = stack.terraformJsonBytes()!;
  const cdktf = stableJsonBytes(cdktfToTerraform(stack))!;
  expect(written.toString('utf8')).toBe(cdktf.toString('utf8'));
  expect(written.equals(cdktf)).toBe(true);
}

describe.each(EVERY_SHAPE)('%s', (_name, config) => {
  test('gives exactly the JSON of cdktf’s toTerraform', () => {
    const stack = synthStack(config);
    expect(stack.toTerraform()).toStrictEqual(cdktfToTerraform(stack));
  });

  test('writes exactly those JSON bytes, straight from the elements’ fragments', () => {
    const stack = synthStack(config);
    expectBytesOfCdktf(stack);
    const copy = jest.spyOn(plainValues, 'plainCopy');
    try {
      stack.terraformJsonBytes();
      // Only the elements' metadata is copied (to merge it as cdktf does), never a resource.
      expect(copy).toHaveBeenCalled();
      for (const [value] of copy.mock.calls) expect(JSON.stringify(value) ?? '').not.toContain('"resource"');
    } finally {
      copy.mockRestore();
    }
  });

  test('resolves no value through cdktf’s token resolution', () => {
    const stack = synthStack(config);
    const resolve = jest.spyOn(Tokenization, 'resolve');
    try {
      stack.toTerraform();
      stack.terraformJsonBytes();
      expect(resolve).not.toHaveBeenCalled();
    } finally {
      resolve.mockRestore();
    }
  });

  test('writing leaves every element’s fragment as it was', () => {
    const stack = synthStack(config);
    const before = cdktfToTerraform(stack);
    stack.terraformJsonBytes();
    stack.terraformJsonBytes();
    expect(cdktfToTerraform(stack)).toStrictEqual(before);
  });
});

describe('values that hold tokens still go through cdktf', () => {
  test('an output referring to a resource attribute resolves to its Terraform expression', () => {
    const stack = synthStack(example);
    const layout = stack.node.findAll().find((node) => node.node.path.endsWith('hosts/ahost.example.com/layout')) as unknown as { id: string };
    new TerraformOutput(stack, 'layout-id', { value: layout.id });
    const json = stack.toTerraform() as { output: Record<string, { value: string }> };
    expect(json).toStrictEqual(cdktfToTerraform(stack));
    expect(json.output['layout-id']!.value).toBe('${null_resource.hosts_ahost_example_com_layout.id}');
    expectBytesOfCdktf(stack);
  });

  test('number and list tokens', () => {
    const stack = synthStack(example);
    const layout = stack.node.findAll().find((node) => node.node.path.endsWith('hosts/ahost.example.com/layout')) as unknown as { id: string };
    new TerraformOutput(stack, 'as-number', { value: Token.asNumber(layout.id) });
    new TerraformOutput(stack, 'as-list', { value: Token.asList(layout.id) });
    const json = stack.toTerraform() as { output: Record<string, { value: unknown }> };
    expect(json).toStrictEqual(cdktfToTerraform(stack));
    expect(json.output['as-number']!.value).toBe('${null_resource.hosts_ahost_example_com_layout.id}');
    expect(json.output['as-list']!.value).toBe('${null_resource.hosts_ahost_example_com_layout.id}');
    expectBytesOfCdktf(stack);
  });

  test('a resource whose content is a token', () => {
    const stack = synthStack(withHosts([host('a.example.com', 9001)]));
    const source = stack.node.findAll().find((node) => node.node.path.endsWith('hosts/a.example.com/replica-sync')) as LocalFile;
    new LocalFile(stack, 'derived', { filename: '/tmp/derived', content: source.content, filePermission: source.filePermission });
    const json = stack.toTerraform() as { resource: { local_file: Record<string, { content: string }> } };
    expect(json).toStrictEqual(cdktfToTerraform(stack));
    expect(json.resource.local_file['derived']!.content).toBe('${local_file.hosts_a_example_com_replica-sync.content}');
    expectBytesOfCdktf(stack);
  });

  test('a raw override takes cdktf’s own path, and is in the output', () => {
    const stack = synthStack(example);
    stack.addOverride('terraform.required_version', '>= 1.5');
    const json = stack.toTerraform() as { terraform: { required_version: string } };
    expect(json.terraform.required_version).toBe('>= 1.5');
    expect(json).toStrictEqual(cdktfToTerraform(stack));
    expectBytesOfCdktf(stack);
  });
});
