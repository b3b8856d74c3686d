/**
 * A small stand-in for `terraform apply` of the firewall resources of a synthesized stack, run on
 * this machine: it follows Terraform's rules for what runs when, so the tests exercise the real
 * rendered commands in the real order.
 *   - a resource whose block disappeared is destroyed WITHOUT its destroy-time provisioner (files
 *     are deleted) - the case the server-level retire step exists for;
 *   - a resource whose triggers (null_resource) or content (local_file) changed is replaced: the
 *     destroy command kept in its OLD triggers runs first, then it is created again;
 *   - creation follows depends_on; local files are written before the steps depending on them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

interface Provisioner { readonly 'local-exec': { readonly command: string; readonly when?: string } }
interface NullResourceBody { readonly triggers: Record<string, string>; readonly provisioner: readonly Provisioner[]; readonly depends_on?: readonly string[] }
interface LocalFileBody { readonly filename: string; readonly content: string; readonly depends_on?: readonly string[] }
export interface Synthesized { readonly resource: { readonly null_resource?: Record<string, NullResourceBody>; readonly local_file?: Record<string, LocalFileBody> } }

type Resource = { readonly address: string; readonly kind: 'null_resource'; readonly body: NullResourceBody } | { readonly address: string; readonly kind: 'local_file'; readonly body: LocalFileBody };

/** The firewall resources of a synthesized stack, by Terraform address. */
export function firewallResources(stack: Synthesized): Map<string, Resource> {
  const result = new Map<string, Resource>();
  for (const [id, body] of Object.entries(stack.resource.null_resource ?? {})) {
    if (id.includes('firewall')) result.set(`null_resource.${id}`, { address: `null_resource.${id}`, kind: 'null_resource', body });
  }
  for (const [id, body] of Object.entries(stack.resource.local_file ?? {})) {
    if (id.includes('firewall')) result.set(`local_file.${id}`, { address: `local_file.${id}`, kind: 'local_file', body });
  }
  return result;
}

export function run(command: string): string {
  const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`command failed (${result.status}): ${result.stderr}\n--- command ---\n${command}`);
  return result.stdout;
}

export const createCommand = (body: NullResourceBody): string => body.provisioner.find((p) => p['local-exec'].when === undefined)!['local-exec'].command;

function changed(before: Resource, after: Resource): boolean {
  if (before.kind === 'null_resource' && after.kind === 'null_resource') return JSON.stringify(before.body.triggers) !== JSON.stringify(after.body.triggers);
  if (before.kind === 'local_file' && after.kind === 'local_file') return before.body.filename !== after.body.filename || before.body.content !== after.body.content;
  return true;
}

function destroy(resource: Resource, runProvisioner: boolean): void {
  if (resource.kind === 'local_file') rmSync(resource.body.filename, { force: true });
  else if (runProvisioner && resource.body.triggers.on_destroy !== undefined) run(resource.body.triggers.on_destroy);
}

function create(resource: Resource): void {
  if (resource.kind === 'local_file') {
    mkdirSync(dirname(resource.body.filename), { recursive: true });
    writeFileSync(resource.body.filename, resource.body.content);
  } else {
    run(createCommand(resource.body));
  }
}

function inDependencyOrder(resources: Resource[]): Resource[] {
  const done = new Set<string>();
  const ordered: Resource[] = [];
  const visit = (resource: Resource): void => {
    if (done.has(resource.address)) return;
    done.add(resource.address);
    for (const dependency of resource.body.depends_on ?? []) {
      const found = resources.find((r) => r.address === dependency);
      if (found) visit(found);
    }
    ordered.push(resource);
  };
  resources.forEach(visit);
  return ordered;
}

/** Apply `next` over `previous` (undefined: nothing deployed yet). Returns the addresses touched. */
export function apply(previous: Synthesized | undefined, next: Synthesized): string[] {
  const before = previous ? firewallResources(previous) : new Map<string, Resource>();
  const after = firewallResources(next);
  const touched: string[] = [];
  for (const [address, resource] of before) {
    if (!after.has(address)) {
      destroy(resource, false);
      touched.push(address);
    }
  }
  const toReplace = [...after.values()].filter((resource) => before.has(resource.address) && changed(before.get(resource.address)!, resource));
  for (const resource of inDependencyOrder(toReplace).reverse()) destroy(before.get(resource.address)!, true);
  const toCreate = [...after.values()].filter((resource) => !before.has(resource.address) || toReplace.includes(resource));
  for (const resource of inDependencyOrder(toCreate)) {
    create(resource);
    touched.push(resource.address);
  }
  return touched;
}

/** `terraform destroy`: every destroy-time provisioner runs, dependents first. */
export function destroyAll(deployed: Synthesized): void {
  for (const resource of inDependencyOrder([...firewallResources(deployed).values()]).reverse()) destroy(resource, true);
}
