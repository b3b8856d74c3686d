/** Planning against disk: scan `<root>`, diff it with hosts.ts, render the result. */
export { nodeDiskReader, type DiskReader } from './disk-reader';
export * from './disk-model';
export { originalRunPort, recognise, type EntryKind, type EntryProbe, type Recognition } from './recognise';
export * from './scan';
export * from './plan-model';
export * from './diff';
export * from './legacy-checks';
export * from './listeners';
export * from './untrusted-read';
export * from './format-bytes';
export * from './render-text';
export * from './render-markdown';
export * from './render-json';
export { CDKTF_COMMAND_VARIABLE } from './cdktf-plan';
export { runPlanCli, DISK_ONLY_VARIABLE, type PlanCliIo } from './cli';
export { readRegularFile, RefusedFileError, fileKind } from '../security/untrusted-file';
export { escapeForTerminal, escapeMarkdown, escapeJsonText } from './escape';
export { securityConflicts } from './security-conflicts';
