/** cdktf's preparing pass (cross-stack references) is skipped only when the stack is alone in its app. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BackupServerStack } from '../../lib';
import { TerraformStack } from '../../lib/terraform';

const config = { server: { serverName: 'backup.example.com' }, hosts: [{ name: 'a.example.com', port: 9001 }] };

function preparedWith(siblings: number): boolean {
  const outdir = mkdtempSync(join(tmpdir(), 'prepare-stack-'));
  const prepare = jest.spyOn(TerraformStack.prototype, 'prepareStack');
  try {
    const app = new App({ outdir });
    const stack = new BackupServerStack(app, 'backup-server', { config });
    for (let i = 0; i < siblings; i++) new TerraformStack(app, `other-${i}`);
    app.synth();
    return prepare.mock.contexts.includes(stack);
  } finally {
    prepare.mockRestore();
    rmSync(outdir, { recursive: true, force: true });
  }
}

test('alone in its app: the preparing pass does not run', () => {
  expect(preparedWith(0)).toBe(false);
});

test('beside another stack: it runs, as cdktf would', () => {
  expect(preparedWith(1)).toBe(true);
});
