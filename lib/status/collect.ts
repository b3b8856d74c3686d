/** Reads and judges every host of the configuration: the whole status report. */
import type { ResolvedConfig } from '../config/resolve';
import { buildReport, evaluateHost } from './evaluate';
import { readHostFacts, type SystemFacts } from './host-facts';
import { listeningPorts, readLocks } from './proc';
import type { HostReport, StatusReport } from './report';

/** Hosts read at once: enough to overlap file-system waits, few enough to keep descriptors low. */
export const HOST_CONCURRENCY = 16;

export interface CollectOptions {
  /** @default Date.now() */
  readonly now?: number;
  /** @default the real /proc */
  readonly system?: SystemFacts;
}

export async function collectStatus(config: ResolvedConfig, options: CollectOptions = {}): Promise<StatusReport> {
  const now = options.now ?? Date.now();
  const system = options.system ?? { listeningPorts: listeningPorts(), locks: readLocks() };
  const reports: HostReport[] = new Array(config.hosts.length);
  let next = 0;
  const worker = async () => {
    while (next < config.hosts.length) {
      const index = next++;
      const facts = await readHostFacts(config.server, config.hosts[index]!, system);
      reports[index] = evaluateHost(config.server, facts, now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HOST_CONCURRENCY, config.hosts.length) }, worker));
  return buildReport(config.server, reports, now);
}
