/**
 * inotify (through fs.watch) on exactly the directories a scan named: the path down to each
 * repository and its `snapshots/`, never `data/`. Any event only says "look again": the scan
 * decides what changed, so a coalesced or lost event costs nothing but a later rescan.
 */
import { watch, type FSWatcher } from 'node:fs';

export class DirectoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly onChange: (dir: string) => void,
    private readonly onError: (dir: string, error: Error) => void = () => {},
  ) {}

  /** Watch exactly `dirs`; returns how many were newly watched (the caller rescans if any). */
  reconcile(dirs: readonly string[]): number {
    const wanted = new Set(dirs);
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    let added = 0;
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: true }, () => this.onChange(dir));
        watcher.on('error', (error) => {
          // The directory vanished or became unreadable: forget it; the next scan decides.
          watcher.close();
          this.watchers.delete(dir);
          this.onError(dir, error);
          this.onChange(dir);
        });
        this.watchers.set(dir, watcher);
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
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
