import { writeFileSync } from 'node:fs';
import { diffPlan } from '../../lib/plan/diff';
import { formatBytes } from '../../lib/plan/format-bytes';
import { renderPlanJson, PLAN_JSON_FORMAT } from '../../lib/plan/render-json';
import { renderPlanMarkdown } from '../../lib/plan/render-markdown';
import { renderPlanText } from '../../lib/plan/render-text';
import { scanDisk } from '../../lib/plan/scan';
import type { Plan } from '../../lib/plan/plan-model';
import { configFor, makeOriginalHost, makeProjectHost, makeRoot, removeRoot, testWithProjectHosts } from './disk-fixtures';

// Made by mixedPlan only: the tests that do not call it (or are skipped) leave nothing to remove.
let root: string | undefined;
afterEach(() => {
  if (root !== undefined) removeRoot(root);
  root = undefined;
});

/** Every kind of row, a conflict and a warning, on a real tree. */
function mixedPlan(options: { sizes?: boolean } = {}): Plan {
  const made = makeRoot();
  root = made;
  const before = configFor(made, [
    { name: 'a.test', port: 9001 },
    { name: 'b.test', port: 9002, allowFrom: ['192.0.2.0/24'] },
    { name: 'gone.test', port: 9009 },
  ]);
  for (const host of before.hosts) makeProjectHost(before, host.name);
  makeOriginalHost(made, 'old.test', 9100);
  writeFileSync(`${made}/file.test`, 'x');
  writeFileSync(`${made}/README`, 'x');
  const after = configFor(made, [
    { name: 'a.test', port: 9001 },
    { name: 'b.test', port: 9005, allowFrom: ['192.0.2.0/24', '2001:db8::/64'] },
    { name: 'old.test', port: 9100, replica: { replaceLegacyScript: true } },
    { name: 'new.test', port: 9010 },
    { name: 'file.test', port: 9011 },
  ]);
  return diffPlan(after, scanDisk(made, options));
}

const anonymous = (text: string) => (root === undefined ? text : text.split(root).join('<root>'));

describe('text', () => {
  testWithProjectHosts('plain: an aligned table with details, sections and the summary', () => {
    expect(anonymous(renderPlanText(mixedPlan()))).toMatchSnapshot();
  });

  testWithProjectHosts('coloured for a terminal', () => {
    const plan = mixedPlan();
    const text = renderPlanText(plan, { color: true });
    expect(anonymous(text)).toMatchSnapshot();
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(plan));
  });

  testWithProjectHosts('no change says so', () => {
    root = makeRoot();
    const config = configFor(root, [{ name: 'a.test', port: 9001 }]);
    makeProjectHost(config, 'a.test');
    expect(renderPlanText(diffPlan(config, scanDisk(root)))).toMatch(/\nNo changes: the disk matches hosts.ts \(1 host\)\.\n$/);
  });

  testWithProjectHosts('with sizes, a DATA column', () => {
    const text = renderPlanText(mixedPlan({ sizes: true }));
    expect(text).toMatch(/ {4}HOST +ACTION +PORT +STORAGE +ENABLED +CREDENTIALS +DATA\n/);
    expect(text).toMatch(/ {2}> old\.test +adopted +9100 +minio +yes +yes +\d+\.\d KiB\n/);
  });
});

testWithProjectHosts('markdown for a pull-request comment', () => {
  expect(anonymous(renderPlanMarkdown(mixedPlan()))).toMatchSnapshot();
});

testWithProjectHosts('markdown cells cannot break the table', () => {
  const plan = mixedPlan();
  const withPipe: Plan = { ...plan, rows: [{ ...plan.rows[0], notes: ['a | b\nc'] }] };
  expect(renderPlanMarkdown(withPipe)).toContain('| a \\| b\\\\x0ac |');
});

testWithProjectHosts('json for machines: the whole plan with a format version', () => {
  const plan = mixedPlan();
  const parsed = JSON.parse(renderPlanJson(plan));
  expect(parsed).toEqual({ format: PLAN_JSON_FORMAT, ...JSON.parse(JSON.stringify(plan)) });
  expect(parsed.rows.map((r: { name: string; action: string }) => `${r.name}:${r.action}`)).toEqual([
    'a.test:unchanged', 'b.test:changed', 'file.test:conflict', 'gone.test:removed', 'new.test:new', 'old.test:adopted',
  ]);
  expect(parsed.summary).toEqual({ new: 1, removed: 1, changed: 1, unchanged: 1, adopted: 1, conflicts: 1, errors: 0 });
  expect(parsed.exitCode).toBe(1);
});

test.each([
  [0, '0 B'], [1023, '1023 B'], [1024, '1.0 KiB'], [1536, '1.5 KiB'], [5 * 1024 ** 3, '5.0 GiB'],
])('formatBytes(%d) = %s', (bytes, text) => {
  expect(formatBytes(bytes)).toBe(text);
});
