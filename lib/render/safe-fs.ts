/**
 * Shell functions through which every root-run step touches the server tree without following what
 * another account controls (docs/security.md). Steps put `SAFE_FS_FUNCTIONS` first and call them.
 *
 * Why each is safe: steps work top-down, so when a function acts on a path its parent is already
 * root-owned and writable by root only, and nobody else can swap the entry in between. Even so each
 * refuses, before changing anything, what would make a plain command follow a link: an existing link
 * or non-directory where a directory is due, a non-regular or hard-linked file where a file is due.
 */
import { shellQuote as q } from '../shell/quote';

/** A numeric chmod mode that also clears setgid on a directory when it is not asked for (GNU chmod keeps it otherwise). */
export function chmodMode(mode: string): string {
  return /^[0-7]{4}$/.test(mode) && mode.startsWith('0') ? `0${mode}` : mode;
}

const REFUSE = ['refuse() { echo "restic-backup-server: $*" >&2; exit 1; }'];
/** What a path is, for messages: type, owner, group and mode, never following a link. */
const DESCRIBE_PATH = ['describe_path() { stat -c \'%F owned by %U:%G, mode %a\' -- "$1" 2>/dev/null || echo missing; }'];

const DEFINITIONS = {
  // make_dir PATH OWNER GROUP MODE
  make_dir: [
    'make_dir() {',
    '  if [ -L "$1" ]; then refuse "$1 is a symbolic link ($(describe_path "$1")); refusing to follow it: move it aside, then deploy again"; fi',
    '  if [ -e "$1" ] && [ ! -d "$1" ]; then refuse "$1 is not a directory ($(describe_path "$1")); move it aside, then deploy again"; fi',
    '  [ -d "$1" ] || mkdir -m 0700 -- "$1"',
    '  chown -h -- "$2:$3" "$1"',
    '  chmod -- "$4" "$1"',
    '}',
  ],
  // own_file PATH OWNER GROUP MODE: an existing regular file with a single link.
  own_file: [
    'own_file() {',
    '  if [ -L "$1" ] || [ ! -f "$1" ]; then refuse "$1 is not a regular file ($(describe_path "$1")); move it aside, then deploy again"; fi',
    '  [ "$(stat -c %h -- "$1")" = 1 ] || refuse "$1 has $(stat -c %h -- "$1") hard links; refusing to change a file shared with another path: move it aside, then deploy again"',
    '  chown -h -- "$2:$3" "$1"',
    '  chmod -- "$4" "$1"',
    '}',
  ],
  // make_link TARGET PATH: replaces a link, refuses anything else.
  make_link: [
    'make_link() {',
    '  if [ -e "$2" ] && [ ! -L "$2" ]; then refuse "$2 should be a link to $1 but is $(describe_path "$2"); move it aside, then deploy again"; fi',
    '  ln -sfnT -- "$1" "$2"',
    '}',
  ],
  // lock_away PATH: a directory an account owned inside root's tree becomes root's alone, contents kept.
  lock_away: [
    'lock_away() {',
    '  if [ -L "$1" ]; then rm -f -- "$1"; return 0; fi',
    '  [ -d "$1" ] || return 0',
    '  chown -h root:root -- "$1"',
    '  chmod 00700 -- "$1"',
    '}',
  ],
  // hand_over DIR FROM OWNER GROUP: entries below DIR still owned by FROM (the legacy account) go to
  // OWNER:GROUP. -execdir works inside each directory, so no path is resolved through a link an
  // account could plant; chown -h never follows one; files with more than one link stay as they are.
  hand_over: [
    'hand_over() {',
    '  find "$1" -xdev -user "$2" \\( -type d -o -type l -o -type f -links 1 \\) -execdir chown -h -- "$3:$4" {} +',
    '}',
  ],

  // `check_ancestors PATH...`: refuses when anything at or above PATH, along the path as written and
  // along its real path, belongs to another account than root, or when a directory above it is
  // writable by another account (a sticky directory such as /tmp is fine: its root-owned entries cannot
  // be replaced). Such an account could otherwise swap the path and have root act on its own tree.
  check_ancestors: [
    'check_chain() {',
    '  chain_target=$1 chain_dir=/ chain_rest=${1#/}',
    '  while :; do',
    '    read -r chain_uid chain_gid chain_mode chain_kind <<EOF',
    '$(stat -c \'%u %g %a %F\' -- "$chain_dir")',
    'EOF',
    '    [ "$chain_uid" = 0 ] || refuse "$chain_dir (on the way to $chain_target) is $(describe_path "$chain_dir"): it must belong to root; fix it (chown root), then deploy again"',
    '    chain_name=${chain_rest%%/*}',
    '    [ -n "$chain_name" ] || return 0',
    '    chain_rest=${chain_rest#"$chain_name"} chain_rest=${chain_rest#/}',
    '    chain_next=${chain_dir%/}/$chain_name',
    '    if [ "$chain_kind" = directory ]; then',
    '      chain_others=$(( 0$chain_mode & 2 )) chain_group=$(( 0$chain_mode & 16 )) chain_sticky=$(( 0$chain_mode & 512 ))',
    '      if [ "$chain_others" != 0 ] || { [ "$chain_group" != 0 ] && [ "$chain_gid" != 0 ]; }; then',
    '        if [ "$chain_sticky" = 0 ] || { [ ! -e "$chain_next" ] && [ ! -L "$chain_next" ]; }; then',
    '          refuse "$chain_dir (above $chain_target) is $(describe_path "$chain_dir"): another account could replace what is below it; make it writable by root only, then deploy again"',
    '        fi',
    '      fi',
    '    fi',
    '    [ -e "$chain_next" ] || [ -L "$chain_next" ] || return 0',
    '    chain_dir=$chain_next',
    '  done',
    '}',
    'check_ancestors() {',
    '  for checked do',
    '    check_chain "$checked"',
    '    checked_real=$(realpath -m -- "$checked")',
    '    [ "$checked_real" = "$checked" ] || check_chain "$checked_real"',
    '  done',
    '}',
  ],
} as const satisfies Record<string, readonly string[]>;

export type SafeFsFunction = keyof typeof DEFINITIONS;

/** Each set of definitions already made: every host's steps ask for the same few sets. */
const definitionsBySet = new Map<string, readonly string[]>();

/** The definitions of the named functions (and of what they use), to put first in a command. */
export function safeFsFunctions(...names: readonly SafeFsFunction[]): readonly string[] {
  const sorted = [...new Set(names)].sort();
  const key = sorted.join(' ');
  let lines = definitionsBySet.get(key);
  if (lines === undefined) {
    lines = Object.freeze([...REFUSE, ...DESCRIBE_PATH, ...sorted.flatMap((name) => DEFINITIONS[name])]);
    definitionsBySet.set(key, lines);
  }
  return lines;
}

export function checkAncestorsLine(paths: readonly string[]): string {
  return `check_ancestors ${paths.map(q).join(' ')}`;
}
