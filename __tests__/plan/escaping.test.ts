/**
 * Names on disk are anyone's bytes: escape sequences, BEL, a newline that forges a plan line,
 * U+202E that reverses what follows, markdown and HTML for the pull-request comment. Host
 * directories with such names (with markers naming them, so they are rows of the plan) and marker
 * fields with C1 controls: each output shows them escaped, exactly, and nothing raw.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { makeRoot, removeRoot } from './disk-fixtures';
import { testWith } from '../support/tools';
import { planChild, writeHostsFile } from './plan-child';

const ESC = 'esc\u001b[2J\u001b[31mred';
const FORGE = 'bel\u0007line\n  + forged.test  new  9999';
const RTL = 'rtl\u202etxt.exe';
const MARKUP = 'md|<img src=x onerror=alert(1)>*_`[x](javascript:alert(1))&';
const STORAGE = 'minio\u009b31m';
const NAMES = [ESC, FORGE, RTL, MARKUP];

/** Raw characters that act on a terminal or reorder text; a newline is allowed only as our own line end. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let root = '';
beforeAll(() => {
  root = makeRoot();
  NAMES.forEach((name, index) => {
    mkdirSync(`${root}/${name}/conf`, { recursive: true });
    writeFileSync(`${root}/${name}/conf/backup-server.json`, JSON.stringify({ format: 1, name, port: 9500 + index, storage: index === 0 ? STORAGE : 'minio' }));
  });
  mkdirSync(`${root}/plain\u001b]0;title\u0007dir`);
});
afterAll(() => removeRoot(root));

/**
 * As root: the plan reports a root whose ancestors another account owns (an ordinary user's own
 * temporary root is one) as a conflict, exit 1 (lib/security/ancestors.ts).
 */
const AS_ROOT = { root: true } as const;

const plan = (args: readonly string[]) => {
  const run = planChild(root, ['--config', writeHostsFile(root, []), ...args]);
  expect(run.signal).toBeNull();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(2);
  return run.stdout;
};

testWith(AS_ROOT, 'text: every name and field escaped, no line forged, nothing raw', () => {
  const text = plan([]);
  expect(text).not.toMatch(RAW);
  const rows = text.split('\n').filter((line) => / removed +95\d\d /.test(line));
  expect(rows.map((row) => row.replace(/ {2,}/g, '  ').trim())).toEqual([
    '- bel\\x07line\\x0a  + forged.test  new  9999  removed  9501  minio  no  no',
    '- esc\\x1b[2J\\x1b[31mred  removed  9500  minio\\x9b31m  no  -', // credentials unknown: an unknown storage kind
    '- md|<img src=x onerror=alert(1)>*_`[x](javascript:alert(1))&  removed  9503  minio  no  no',
    '- rtl\\u202etxt.exe  removed  9502  minio  no  no',
  ]);
  // The forged row appears only inside the escaped name (its row, and the note on renaming it).
  const mentions = text.split('\n').filter((line) => line.includes('forged.test'));
  expect(mentions.length).toBeGreaterThan(0);
  for (const line of mentions) expect(line).toContain('bel\\x07line\\x0a  + forged.test');
  expect(mentions.filter((line) => /^\s*\+ forged\.test/.test(line))).toEqual([]);
  expect(text).toContain(`  ${root}/plain\\x1b]0;title\\x07dir: a directory without conf/backup-server.json or conf/runsvs/minio/run; ignored\n`);
});

testWith(AS_ROOT, 'markdown: escaped for the terminal, then markdown and HTML escaped; no tag, no link survives', () => {
  const markdown = plan(['--markdown']);
  expect(markdown).not.toMatch(RAW);
  expect(markdown).not.toContain('<img');
  expect(markdown).not.toMatch(/[^\\]\[x\]/);
  const rows = markdown.split('\n').filter((line) => line.includes('| removed |'));
  // Each row: the escaped name, and the note saying how to rename a directory hosts.ts cannot name.
  const rename = (name: string, why: string) => `<br>${name} cannot be named in hosts.ts (a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); ${why}); rename its directory by hand, or list "${name}" in server.leaveAlone |`;
  const kept = 'not in hosts.ts: nothing is deleted; data, logs and credentials stay on disk';
  const control = (code: string) => `it contains the non-ASCII or control character U+${code} (look-alike letters are not allowed)`;
  const bel = 'bel\\\\x07line\\\\x0a  + forged.test  new  9999';
  const esc = 'esc\\\\x1b\\[2J\\\\x1b\\[31mred';
  const md = 'md\\|&lt;img src=x onerror=alert(1)&gt;\\*\\_\\`\\[x\\](javascript:alert(1))&amp;';
  const rtl = 'rtl\\\\u202etxt.exe';
  expect(rows).toEqual([
    `| \`-\` | ${bel} | removed | 9501 | minio | no | no | ${kept}${rename(bel, control('0007'))}`,
    `| \`-\` | ${esc} | removed | 9500 | minio\\\\x9b31m | no | - | ${kept}${rename(esc, control('001B'))}`,
    `| \`-\` | ${md} | removed | 9503 | minio | no | no | ${kept}${rename(md, `the label "${md}" has a character outside a-z, 0-9, "-" or starts or ends with "-"`)}`,
    `| \`-\` | ${rtl} | removed | 9502 | minio | no | no | ${kept}${rename(rtl, control('202E'))}`,
  ]);
});

testWith(AS_ROOT, 'json: the same names as data, with C1 and bidi characters \\u-escaped', () => {
  const json = plan(['--json']);
  expect(json).not.toMatch(RAW);
  expect(json).toContain('"name": "rtl\\u202etxt.exe"');
  expect(json).toContain('"storage": "minio\\u009b31m"');
  const parsed = JSON.parse(json) as { rows: { name: string; storage: string }[] };
  expect(parsed.rows.map((row) => row.name).sort()).toEqual([...NAMES].sort());
  expect(parsed.rows.find((row) => row.name === ESC)?.storage).toBe(STORAGE);
});
