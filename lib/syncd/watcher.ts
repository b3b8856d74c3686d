/**
 * inotify (through fs.watch) on exactly the directories a scan named: the path down to each
 * repository and its `snapshots/`, never `data/`. Any event only says "look again": the scan
 * decides what changed, so a coalesced or lost event costs nothing but a later rescan.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';

interface Watched {
  readonly watcher: FSWatcher;
  /** A directory removed and made again (minio removes empty ones) needs a new watch. */
  readonly inode: number | undefined;
}

function inodeOf(dir: string): number | undefined {
  try {
    return statSync(dir).ino;
  } catch {
    return undefined;
  }
}

export class DirectoryWatcher {
  private readonly watchers = new Map<string, Watched>();

  constructor(
    private readonly onChange: (dir: string) => void,
    private readonly onError: (dir: string, error: Error) => void = () => {},
  ) {}

  /** Watch exactly `dirs`; returns how many were newly watched (the caller rescans if any). */
  reconcile(dirs: readonly string[]): number {
    const wanted = new Set(dirs);
    for (const [dir, watched] of this.watchers) {
      if (!wanted.has(dir) || watched.inode !== inodeOf(dir)) {
        watched.watcher.close();
        this.watchers.delete(dir);
      }
    }
    let added = 0;
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const inode = inodeOf(dir);
        const watcher = watch(dir, { persistent: true }, () => this.onChange(dir));
        watcher.on('error', (error) => {
          // The directory vanished or became unreadable: forget it; the next scan decides.
          watcher.close();
          if (this.watchers.get(dir)?.watcher === watcher) this.watchers.delete(dir);
          this.onError(dir, error);
          this.onChange(dir);
        });
        this.watchers.set(dir, { watcher, inode });
        added++;
      } catch (error) {
        this.onError(dir, error as Error);
      }
    }
    return added;
  }

  get size(): number {
    return this.watchers.size;
  }

  close(): void {
    for (const { watcher } of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
