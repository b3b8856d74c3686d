/** `none`: the operator manages the firewall; this project adds no rule and no resource. */
import type { FirewallBackend } from './firewall-backend';

export const none: FirewallBackend = {
  kind: 'none',
  hostRules: () => undefined,
  serverSteps: () => undefined,
};
