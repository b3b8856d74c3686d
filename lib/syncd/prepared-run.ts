/**
 * A run of replica_sync made ready while the daemon is idle, so that the path from a new snapshot
 * to replica_sync holds as little as possible: a private directory (0700, in $TMPDIR) with the
 * two list files already created empty, and a standby (./standby.ts) waiting with them as its
 * arguments. Each file operation costs 0.1-0.5 ms on ext4, more while the disk is busy; what is
 * left for the run itself is writing the added list (and the removed one, if any), then one
 * message to the standby.
 */
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Standby, type StandbyOptions } from './standby';

export class PreparedRun {
  readonly dir: string;
  readonly addedList: string;
  readonly removedList: string;
  readonly standby: Standby;

  /** Made now: the directory (in `parent`), the empty lists, then the standby. */
  constructor(parent: string, options: Omit<StandbyOptions, 'args'>) {
    this.dir = mkdtempSync(join(parent, 'backup-syncd-'));
    this.addedList = join(this.dir, 'added');
    this.removedList = join(this.dir, 'removed');
    try {
      for (const list of [this.addedList, this.removedList]) closeSync(openSync(list, 'wx', 0o600));
    } catch (error) {
      rmSync(this.dir, { recursive: true, force: true });
      throw error;
    }
    this.standby = new Standby({ ...options, args: [this.addedList, this.removedList] });
  }

  /** Its standby still waits (not started, not gone). */
  get waiting(): boolean {
    return this.standby.waiting;
  }

  /**
   * Writes the lists into the files made empty beforehand (never created here, never through a
   * link). Throws ENOENT when the directory has gone meanwhile (a cleaner of $TMPDIR removes
   * what stayed untouched for days); the caller then makes a new PreparedRun.
   */
  writeLists(added: string, removed: string): void {
    for (const [list, text] of [[this.addedList, added], [this.removedList, removed]] as const) {
      // Opened even when there is nothing to write: both must still be there.
      const fd = openSync(list, constants.O_WRONLY | constants.O_NOFOLLOW);
      try {
        if (text !== '') writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
    }
  }

  /**
   * Done with it: a standby that has not started is told to exit without running anything, and
   * the directory goes with the lists (awaiting the standby's exit is the caller's choice).
   */
  discard(): void {
    this.standby.discard();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
