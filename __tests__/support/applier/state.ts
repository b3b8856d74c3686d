/**
 * The applier's own state file: what it created, with the attributes Terraform keeps in its state
 * (and that decide replacement), plus each resource's dependencies for ordering later destroys.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface LocalFileAttributes {
  readonly filename: string;
  readonly content: string;
  readonly filePermission: string;
  readonly directoryPermission: string;
}

export interface NullResourceAttributes {
  readonly id: string;
  readonly triggers: Readonly<Record<string, string>>;
}

export type StateResource =
  | { readonly type: 'local_file'; readonly dependsOn: readonly string[]; readonly tainted?: boolean; readonly attributes: LocalFileAttributes }
  | { readonly type: 'null_resource'; readonly dependsOn: readonly string[]; readonly tainted?: boolean; readonly attributes: NullResourceAttributes };

export interface State {
  readonly version: 1;
  readonly resources: Readonly<Record<string, StateResource>>;
}

export const EMPTY_STATE: State = { version: 1, resources: {} };

export function readState(path: string): State {
  if (!existsSync(path)) return EMPTY_STATE;
  const state = JSON.parse(readFileSync(path, 'utf8')) as State;
  if (state.version !== 1) throw new Error(`${path}: unknown applier state version ${String(state.version)}`);
  return state;
}

/** The state with one resource recorded (or, given undefined, forgotten). */
export function withResource(state: State, address: string, resource: StateResource | undefined): State {
  const resources = { ...state.resources };
  if (resource === undefined) delete resources[address];
  else resources[address] = resource;
  return { version: 1, resources };
}

/** Written atomically after every step, so a failed apply leaves the state of what was done. */
export function writeState(path: string, state: State): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
