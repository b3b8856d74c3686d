/** hashicorp/local `local_file`, as its provider creates, reads and deletes it. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LocalFileAttributes, State } from './state';

/**
 * Missing parent directories are made with `directoryPermission`, the file with `filePermission`;
 * both pass through the umask, and an existing file keeps its mode, as with the provider's
 * os.MkdirAll and os.WriteFile.
 */
export function createLocalFile(file: LocalFileAttributes): void {
  const directory = dirname(file.filename);
  if (!existsSync(directory)) mkdirSync(directory, { recursive: true, mode: parseInt(file.directoryPermission, 8) });
  writeFileSync(file.filename, file.content, { mode: parseInt(file.filePermission, 8) });
}

/** The provider deletes the file only; directories stay. */
export function deleteLocalFile(file: LocalFileAttributes): void {
  rmSync(file.filename, { force: true });
}

/** The provider's refresh: a file that is gone or whose content changed drops out of the state. */
export function localFileVanished(file: LocalFileAttributes): boolean {
  if (!existsSync(file.filename)) return true;
  const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');
  return sha1(readFileSync(file.filename)) !== sha1(file.content);
}

/** The local_file addresses of the state whose file vanished: Terraform's refresh forgets them. */
export function vanishedLocalFiles(state: State): Set<string> {
  return new Set(Object.entries(state.resources).filter(([, resource]) => resource.type === 'local_file' && localFileVanished(resource.attributes)).map(([address]) => address));
}
