/** The plan: one row per host, the conflicts, and the exit code, as every renderer sees it. */

/** What applying hosts.ts will do to a host, in terraform's spirit. */
export type PlanAction = 'new' | 'removed' | 'changed' | 'unchanged' | 'adopted' | 'conflict' | 'left-alone';

export const ACTION_MARKS: Readonly<Record<PlanAction, string>> = {
  new: '+',
  removed: '-',
  changed: '~',
  unchanged: ' ',
  adopted: '>',
  conflict: '!',
  'left-alone': '=',
};

/** A setting that differs between hosts.ts and the disk. */
export interface PlanChange {
  readonly field: 'port' | 'storage' | 'tlsCertificate' | 'tlsKey' | 'allowFrom' | 'consolePort' | 'enabled';
  readonly from: string;
  readonly to: string;
  readonly note?: string;
}

export interface PlanRow {
  readonly name: string;
  readonly action: PlanAction;
  /** Port on disk (undefined for new hosts). */
  readonly portBefore?: number;
  /** Port in hosts.ts (undefined for removed hosts). */
  readonly portAfter?: number;
  readonly storage: string;
  /** The host's conf/runit link exists on disk. */
  readonly enabled: boolean;
  /** The credentials file exists on disk; undefined when unknown or not applicable (new hosts). */
  readonly credentials?: boolean;
  readonly sizeBytes?: number;
  readonly changes: readonly PlanChange[];
  /** Human explanations: what is kept, what is replaced, why it conflicts. */
  readonly notes: readonly string[];
}

export interface PlanConflict {
  /** The host (or conf/runit entry) it concerns. */
  readonly name: string;
  readonly message: string;
}

export interface PlanSummary {
  readonly new: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly adopted: number;
  readonly conflicts: number;
  readonly errors: number;
  /** Directories of server.leaveAlone found on disk. */
  readonly leftAlone?: number;
}

/** Like `terraform plan -detailed-exitcode`. */
export const EXIT_NO_CHANGES = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

export interface Plan {
  readonly root: string;
  readonly rows: readonly PlanRow[];
  readonly conflicts: readonly PlanConflict[];
  /** Paths the scan could not read: the plan is incomplete. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly summary: PlanSummary;
  readonly exitCode: number;
}
