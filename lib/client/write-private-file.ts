/**
 * Writes a secret to a new file, mode 0600: created exclusively and without following a link, so
 * an existing file, a planted link or a FIFO is refused rather than overwritten or followed (root
 * runs this, possibly in a directory others can write, such as /tmp).
 */
import { constants, promises as fs } from 'node:fs';

export async function writePrivateFile(path: string, text: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') throw new Error(`${path} already exists (or is a link): choose a new file name`);
    throw error;
  }
  try {
    // The umask may have taken bits away, never added: make it exactly 0600.
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
