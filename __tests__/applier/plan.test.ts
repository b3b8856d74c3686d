import { parseConfiguration, planApply, type State } from '../support/applier';

// c depends on b, b on a; d is independent.
const configuration = (triggersOfA: Record<string, string>) => parseConfiguration({
  resource: {
    null_resource: {
      a: { triggers: triggersOfA },
      b: { depends_on: ['null_resource.a'] },
      d: {},
    },
    local_file: { c: { filename: '/tmp/c', content: 'c', depends_on: ['null_resource.b'] } },
  },
});

const stateOf = (triggersOfA: Record<string, string>, extra: State['resources'] = {}): State => ({
  version: 1,
  resources: {
    'null_resource.a': { type: 'null_resource', dependsOn: [], attributes: { id: '1', triggers: triggersOfA } },
    'null_resource.b': { type: 'null_resource', dependsOn: ['null_resource.a'], attributes: { id: '2', triggers: {} } },
    'null_resource.d': { type: 'null_resource', dependsOn: [], attributes: { id: '3', triggers: {} } },
    'local_file.c': { type: 'local_file', dependsOn: ['null_resource.b'], attributes: { filename: '/tmp/c', content: 'c', filePermission: '0777', directoryPermission: '0777' } },
    ...extra,
  },
});

test('an empty state creates everything, dependencies first', () => {
  const plan = planApply(configuration({}), { version: 1, resources: {} });
  expect(plan.destroyOrder).toEqual([]);
  const order = plan.createOrder;
  expect(order.indexOf('null_resource.a')).toBeLessThan(order.indexOf('null_resource.b'));
  expect(order.indexOf('null_resource.b')).toBeLessThan(order.indexOf('local_file.c'));
  expect([...order].sort()).toEqual(['local_file.c', 'null_resource.a', 'null_resource.b', 'null_resource.d']);
});

test('a matching state changes nothing', () => {
  const plan = planApply(configuration({ k: 'v' }), stateOf({ k: 'v' }));
  expect([...plan.actions.values()]).toEqual(['noop', 'noop', 'noop', 'noop']);
  expect(plan.createOrder).toEqual([]);
});

test('changed triggers replace only that resource; a removed one is deleted after its dependents', () => {
  const orphans: State['resources'] = {
    'null_resource.old': { type: 'null_resource', dependsOn: ['null_resource.a'], attributes: { id: '4', triggers: {} } },
    'null_resource.older': { type: 'null_resource', dependsOn: ['null_resource.old'], attributes: { id: '5', triggers: {} } },
  };
  const plan = planApply(configuration({ k: 'new' }), stateOf({ k: 'old' }, orphans));
  expect(plan.actions.get('null_resource.a')).toBe('replace');
  expect(plan.actions.get('null_resource.b')).toBe('noop');
  expect(plan.actions.get('null_resource.old')).toBe('delete');
  expect(plan.destroyOrder).toEqual(['null_resource.older', 'null_resource.old', 'null_resource.a']);
  expect(plan.createOrder).toEqual(['null_resource.a']);
});

test('a tainted resource and a vanished file are replaced / created again', () => {
  const state = stateOf({});
  const tainted: State = { version: 1, resources: { ...state.resources, 'null_resource.d': { ...state.resources['null_resource.d']!, tainted: true } } };
  const plan = planApply(configuration({}), tainted, new Set(['local_file.c']));
  expect(plan.actions.get('null_resource.d')).toBe('replace');
  expect(plan.actions.get('local_file.c')).toBe('create');
  expect(plan.destroyOrder).toEqual(['null_resource.d']);
});

test('a dependency cycle is refused', () => {
  const cyclic = parseConfiguration({ resource: { null_resource: { a: { depends_on: ['null_resource.b'] }, b: { depends_on: ['null_resource.a'] } } } });
  expect(() => planApply(cyclic, { version: 1, resources: {} })).toThrow(/dependency cycle: null_resource\.a -> null_resource\.b -> null_resource\.a/);
});
