/**
 * `conf/backup-syncd.log.conf`: `key=value` lines read by backup-syncd at start; `#` starts a comment.
 *   level   debug | info | warn | error      (default info)
 *   format  text | json                      (default text; one line per event on stdout)
 */
import { GENERATED_NOTICE } from './script';

export function renderSyncdLogConf(hostName: string): string {
  return [
    `# backup-syncd logging of ${hostName}: one line per event to stdout; svlogd adds timestamps.`,
    `# ${GENERATED_NOTICE}`,
    'level=info',
    'format=text',
    '',
  ].join('\n');
}
