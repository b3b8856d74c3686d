/** depends_on as plain addresses must read exactly as cdktf's own dependency tokens resolve. */
import { App, NullResource, TerraformStack, Testing, type ITerraformDependable } from '../../lib/terraform';
import { resourceAddress, withDependencies } from '../../lib/constructs/dependencies';

function resourcesOf(build: (stack: TerraformStack) => void): Record<string, { depends_on?: string[] }> {
  const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 'test');
  build(stack);
  return (JSON.parse(Testing.synth(stack)) as { resource: { null_resource: Record<string, { depends_on?: string[] }> } }).resource.null_resource;
}

test('addresses equal what cdktf writes for the same dependencies', () => {
  const resources = resourcesOf((stack) => {
    const first = new NullResource(stack, 'first');
    const second = new NullResource(stack, 'second');
    new NullResource(stack, 'by-cdktf', { dependsOn: [first, second] });
    withDependencies([first, second], (dependsOn) => new NullResource(stack, 'by-address', { dependsOn }));
    expect(resourceAddress(first)).toBe('null_resource.first');
  });
  expect(resources['by-address']!.depends_on).toEqual(['null_resource.first', 'null_resource.second']);
  expect(resources['by-address']!.depends_on).toEqual(resources['by-cdktf']!.depends_on);
});

test('no dependencies: no depends_on at all', () => {
  const resources = resourcesOf((stack) => {
    withDependencies(undefined, (dependsOn) => new NullResource(stack, 'alone', { dependsOn }));
    withDependencies([], (dependsOn) => new NullResource(stack, 'empty', { dependsOn }));
  });
  expect(resources.alone).not.toHaveProperty('depends_on');
  expect(resources.empty).not.toHaveProperty('depends_on');
});

test('anything but resources goes through cdktf, unchanged', () => {
  const resources = resourcesOf((stack) => {
    const first = new NullResource(stack, 'first');
    const module: ITerraformDependable = { fqn: 'module.elsewhere' };
    const made = withDependencies([first, module], (dependsOn) => {
      expect(dependsOn).toEqual([first, module]);
      return new NullResource(stack, 'mixed', { dependsOn });
    });
    expect(made.dependsOn).toHaveLength(2);
  });
  expect(resources.mixed!.depends_on).toEqual(['null_resource.first', 'module.elsewhere']);
});
