/**
 * What the deploy would refuse outside the host directories, as plan conflicts: every component
 * above a path root acts on that another account can change (lib/security/ancestors.ts).
 */
import type { ResolvedConfig } from '../config/resolve';
import { ancestorCheckedPaths } from '../security/ancestor-paths';
import { ancestorFindings, type AncestorFs } from '../security/ancestors';
import { nodeAncestorFs } from '../security/node-ancestor-fs';
import type { PlanConflict } from './plan-model';

export function securityConflicts(config: ResolvedConfig, fs: AncestorFs = nodeAncestorFs()): PlanConflict[] {
  return ancestorFindings(ancestorCheckedPaths(config), fs).map((finding) => ({ name: finding.path, message: finding.message }));
}
