/** Dependency order: a deterministic depth-first topological sort that refuses cycles. */

/**
 * Every node after all of its dependencies (transitively, through nodes of any kind), ties in the
 * order given. Dependencies that are not nodes are ignored.
 */
export function dependencyOrder(nodes: readonly string[], dependencies: (node: string) => readonly string[]): string[] {
  const known = new Set(nodes);
  const done = new Set<string>();
  const visiting: string[] = [];
  const order: string[] = [];
  const visit = (node: string): void => {
    if (done.has(node)) return;
    if (visiting.includes(node)) throw new Error(`dependency cycle: ${[...visiting.slice(visiting.indexOf(node)), node].join(' -> ')}`);
    visiting.push(node);
    for (const dependency of dependencies(node)) if (known.has(dependency)) visit(dependency);
    visiting.pop();
    done.add(node);
    order.push(node);
  };
  nodes.forEach(visit);
  return order;
}
