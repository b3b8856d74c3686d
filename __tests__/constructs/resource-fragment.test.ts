/**
 * terraformFragment (lib/constructs/resource-fragment.ts) must return exactly what the element's
 * own toTerraform() returns: for every resource of every shape of configuration, and for resources
 * using what only cdktf's path handles.
 */
import { TerraformCount, TerraformIterator } from 'cdktf';
import { terraformFragment } from '../../lib/constructs/resource-fragment';
import * as terraform from '../../lib/terraform';
import { LocalFile, NullResource, TerraformElement, TerraformResource } from '../../lib/terraform';
import { EVERY_SHAPE, example } from '../support/fixtures';
import { synthStack } from '../support/synth';

const elementsOf = (config: (typeof EVERY_SHAPE)[number][1]) => synthStack(config).node.findAll().filter((node): node is TerraformElement => TerraformElement.isTerraformElement(node));

describe.each(EVERY_SHAPE)('%s', (_name, config) => {
  test('every element’s fragment is exactly its own toTerraform()', () => {
    const elements = elementsOf(config);
    for (const element of elements) {
      expect({ path: element.node.path, fragment: terraformFragment(element) }).toStrictEqual({ path: element.node.path, fragment: element.toTerraform() });
    }
  });

  test('the resources this project makes take the direct path, without cdktf’s snake-casing of meta-arguments', () => {
    const resources = elementsOf(config).filter((element) => TerraformResource.isTerraformResource(element));
    const ownToTerraform = jest.spyOn(TerraformResource.prototype, 'toTerraform');
    try {
      for (const resource of resources) terraformFragment(resource);
      expect(ownToTerraform).not.toHaveBeenCalled();
    } finally {
      ownToTerraform.mockRestore();
    }
  });
});

describe('what only cdktf’s own toTerraform handles goes there, with the same result', () => {
  const resourceOfExample = (path: string) => {
    const stack = synthStack(example);
    const resource = stack.node.findAll().find((node) => node.node.path.endsWith(path)) as NullResource | LocalFile;
    return { stack, resource };
  };
  const expectCdktfPath = (resource: TerraformResource) => {
    const ownToTerraform = jest.spyOn(TerraformResource.prototype, 'toTerraform');
    try {
      // Token numbers aside: for_each makes a new token at each call.
      const withoutTokenNumbers = (fragment: unknown) => JSON.stringify(fragment).replace(/TfToken\[TOKEN\.\d+\]/g, 'TfToken[TOKEN]');
      expect(withoutTokenNumbers(terraformFragment(resource))).toBe(withoutTokenNumbers(TerraformResource.prototype.toTerraform.call(resource)));
      expect(ownToTerraform).toHaveBeenCalledTimes(2);
    } finally {
      ownToTerraform.mockRestore();
    }
  };

  test.each<[string, (resource: NullResource | LocalFile, stack: ReturnType<typeof synthStack>) => void]>([
    ['count', (resource) => (resource.count = 2)],
    ['count as TerraformCount', (resource) => (resource.count = TerraformCount.of(3))],
    ['for_each', (resource) => (resource.forEach = TerraformIterator.fromList(['a', 'b']))],
    ['lifecycle', (resource) => (resource.lifecycle = { preventDestroy: true })],
    ['connection', (resource) => (resource.connection = { type: 'ssh', host: 'backup.example.com' })],
    ['provider', (resource, stack) => (resource.provider = stack.node.findAll().find((node) => node.node.id === 'null') as terraform.NullProvider)],
    ['an override', (resource) => resource.addOverride('triggers.extra', 'x')],
    ['a move', (resource) => resource.moveToId('null_resource.elsewhere')],
    ['an import', (resource) => resource.importFrom('some-id')],
    ['a provisioner value with an object in it', (resource) => (resource.provisioners = [{ type: 'local-exec', command: 'true', environment: { A_B: '1' } }])],
    ['a dependency that is not a plain string', (resource) => ((resource as { dependsOn?: unknown }).dependsOn = [{ fqn: 'null_resource.x' }])],
  ])('%s', (_name, change) => {
    const { stack, resource } = resourceOfExample('hosts/ahost.example.com/layout');
    change(resource, stack);
    expectCdktfPath(resource);
  });

  test('a subclass, whose toTerraform may differ, is never built directly', () => {
    const stack = synthStack(example);
    class Tagged extends NullResource {
      toTerraform(): any {
        return { ...super.toTerraform(), tagged: true };
      }
    }
    const tagged = new Tagged(stack, 'tagged', { triggers: { a: 'b' } });
    expect(terraformFragment(tagged)).toMatchObject({ tagged: true });
  });

  test('provisioner keys are snake-cased as cdktf does, environment kept', () => {
    const { resource } = resourceOfExample('hosts/ahost.example.com/layout');
    resource.provisioners = [{ type: 'local-exec', command: 'true', workingDir: '/srv', when: 'destroy', interpreter: ['/bin/sh', '-c'] }];
    const fragment = terraformFragment(resource) as { resource: { null_resource: Record<string, { provisioner: unknown }> } };
    expect(fragment).toStrictEqual(TerraformResource.prototype.toTerraform.call(resource));
    expect(Object.values(fragment.resource.null_resource)[0]!.provisioner).toEqual([{ 'local-exec': { command: 'true', working_dir: '/srv', when: 'destroy', interpreter: ['/bin/sh', '-c'] } }]);
  });
});
