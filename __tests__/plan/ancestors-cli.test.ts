/**
 * An ancestor of the server root writable by the `backups` account: it could rename the root away
 * and build a tree of its own, which root then runs. `npm run plan` refuses (exit 1) with a conflict
 * naming the directory, its owner and mode, in every output; and the attack it guards against works.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serviceAccountIds } from '../support/accounts';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { makeRoot, removeRoot } from './disk-fixtures';
import { planChild, writeHostsFile } from './plan-child';

describeAsRootWithServiceAccount(['setpriv', 'chgrp'], 'npm run plan and the ancestors of the root', () => {
  let root = '';
  let base = '';
  let hosts = '';
  // Looked up when the block runs: jest reads a skipped block's body too, where the account may not exist.
  let gid = 0;
  let uid = 0;
  beforeAll(() => ({ uid, gid } = serviceAccountIds()));

  beforeEach(() => {
    root = makeRoot();
    base = join(root, '..');
    hosts = writeHostsFile(root, [{ name: 'a.test', port: 9001 }]);
  });
  afterEach(() => removeRoot(root));

  test('ancestors of root, writable by root only: no conflict', () => {
    const run = planChild(root, ['--config', hosts]);
    expect(run.stdout).not.toContain('Conflicts');
    expect(run.status).toBe(2);
  });

  test('writable by the group backups: a conflict in text, markdown and JSON, exit 1; and backups can indeed move the root away', () => {
    execFileSync('chgrp', ['backups', base]);
    execFileSync('chmod', ['0775', base]);
    const message = `directory ${base} (owner root (uid 0), group backups (gid ${gid}), mode 0775) is writable by its group backups (gid ${gid}); it is on the way to server.root ${root}, which root acts on: only root may be able to change it`;

    const text = planChild(root, ['--config', hosts]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`Conflicts (nothing can be applied until they are resolved):\n  ! ${base}: ${message}\n`);
    expect(text.stdout).toContain('Plan stopped by 1 conflict: resolve before deploying.');

    const markdown = planChild(root, ['--config', hosts, '--markdown']);
    expect(markdown.status).toBe(1);
    expect(markdown.stdout).toContain(`- **${base}**: ${message.replace(/_/g, '\\_')}\n`);

    const json = planChild(root, ['--config', hosts, '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ exitCode: 1, conflicts: [{ name: base, message }], summary: { conflicts: 1 } });

    // The hole the conflict names: backups renames the root and could put a tree of its own there.
    const moved = spawnSync('setpriv', ['--reuid=backups', '--regid=backups', '--clear-groups', 'mv', root, join(base, 'moved')], { encoding: 'utf8' });
    expect(moved.stderr).toBe('');
    expect(moved.status).toBe(0);
    expect(existsSync(root)).toBe(false);
    execFileSync('mv', [join(base, 'moved'), root]);
  });

  test('owned by backups: a conflict naming the owner', () => {
    execFileSync('chown', ['backups', base]);
    const run = planChild(root, ['--config', hosts]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`  ! ${base}: directory ${base} (owner backups (uid ${uid}), group root (gid 0), mode 0755) is not owned by root; it is on the way to server.root ${root}, which root acts on: only root may be able to change it\n`);
  });
});
