/** Planning against disk: scan `<root>`, diff it with hosts.ts, render the result. */
export * from './disk-reader';
export * from './disk-model';
export * from './recognise';
export * from './scan';
export * from './plan-model';
export * from './diff';
export * from './format-bytes';
export * from './plan-cells';
export * from './render-text';
export * from './render-markdown';
export * from './render-json';
export * from './hosts-file';
export * from './cdktf-plan';
export * from './cli';
