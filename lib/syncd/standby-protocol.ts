/**
 * What a standby (./standby.ts) is: a /bin/sh waiting on its standard input, started before a run
 * is needed with replica_sync and its two list files as arguments, which on one message sets the
 * run's own variables and execs replica_sync in place.
 *
 * The message is data, never code. It is the line `run`, then each value as a count of lines
 * followed by exactly those lines, read with `IFS= read -r` (no field splitting, no backslash
 * processing) and joined again with newlines. A repository name is chosen by the client, so it
 * may hold a newline, `$(...)`, quotes or a leading dash: counting lines keeps each value in its
 * own variable, and no value is ever expanded, evaluated or taken as an option. Nothing but the
 * shell's builtins runs before the exec, so the script keeps the standby's pid, session and group.
 */

/** The variables that differ from run to run; the standby's own environment holds the rest. */
export interface RunVariables {
  readonly BACKUP_SYNCD_ADDED: string;
  readonly BACKUP_SYNCD_REMOVED: string;
  readonly BACKUP_SYNCD_REPOSITORIES: string;
}

/** Their order in the message. */
export const RUN_VARIABLES = ['BACKUP_SYNCD_ADDED', 'BACKUP_SYNCD_REMOVED', 'BACKUP_SYNCD_REPOSITORIES'] as const;

/** Exit status of a standby given a malformed message (EX_SOFTWARE: a bug of the daemon, never the client's doing). */
export const MALFORMED_MESSAGE_STATUS = 70;

/**
 * The standby's program, run as
 * `sh -c PROGRAM backup-syncd-standby <replica_sync> <added list> <removed list>`. End of input
 * before a message (the daemon stopped or discarded it) exits 0 without running anything.
 * Variables of its own start with `standby_` and are unset before the exec, so replica_sync's
 * environment is the daemon's plus the run's values and nothing else.
 */
export const STANDBY_PROGRAM = [
  'malformed() { echo "backup-syncd standby: $1" >&2; exit ' + MALFORMED_MESSAGE_STATUS + '; }',
  '# One value: a count of lines, then those lines, joined again with newlines.',
  'take() {',
  '  IFS= read -r standby_count || malformed "the message ended early"',
  '  case $standby_count in',
  "    ''|*[!0-9]*|0?*|?????????*) malformed 'a line count is not a decimal number below 100000000' ;;",
  '  esac',
  "  standby_value=''",
  "  standby_separator=''",
  '  while [ "$standby_count" -gt 0 ]; do',
  '    IFS= read -r standby_line || malformed "the message ended early"',
  '    standby_value=$standby_value$standby_separator$standby_line',
  '    standby_separator=$standby_newline',
  '    standby_count=$((standby_count - 1))',
  '  done',
  '}',
  "standby_newline='",
  "'",
  'IFS= read -r standby_go || exit 0',
  "[ \"$standby_go\" = run ] || malformed 'the message does not start with run'",
  'take; BACKUP_SYNCD_ADDED=$standby_value',
  'take; BACKUP_SYNCD_REMOVED=$standby_value',
  'take; BACKUP_SYNCD_REPOSITORIES=$standby_value',
  'export BACKUP_SYNCD_ADDED BACKUP_SYNCD_REMOVED BACKUP_SYNCD_REPOSITORIES',
  'unset standby_go standby_count standby_value standby_separator standby_line standby_newline',
  'exec "$@" < /dev/null',
  '',
].join('\n');

/** `$0` of the standby's shell: what `ps` shows for an idle one. */
export const STANDBY_NAME = 'backup-syncd-standby';

function field(name: string, value: string): string {
  // A NUL cannot be in a file name or a variable; refuse it rather than let the shell drop it.
  if (value.includes('\0')) throw new Error(`standby message: ${name} holds a NUL byte`);
  return `${value.split('\n').length}\n${value}\n`;
}

/** The one message that starts a run (see the file's header). */
export function standbyMessage(variables: RunVariables): string {
  return ['run\n', ...RUN_VARIABLES.map((name) => field(name, variables[name]))].join('');
}
