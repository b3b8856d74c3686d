/**
 * Jest's own progress and per-file output (what `default` prints), without its closing summary:
 * summary-reporter.js prints that summary itself, so that its own lines come after it.
 */
const { DefaultReporter, VerboseReporter } = require('@jest/reporters');

module.exports = function ProgressReporter(globalConfig) {
  return globalConfig.verbose ? new VerboseReporter(globalConfig) : new DefaultReporter(globalConfig);
};
