/** Who may publish and subscribe where on the broker (CONTRACT §3): pure decisions over identities. */
import type { ApiKey } from './registry-schema.js';
import { TOPIC_ROOT, topics } from './topics.js';

/** The service accounts; their credentials come from the environment, never from the registry. */
export const SERVICES = ['ingest', 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type Identity =
  | { kind: 'device'; deviceId: string }
  | { kind: 'service'; service: ServiceName }
  | { kind: 'watcher'; key: ApiKey };

/** MQTT usernames: a device id, `key:<apiKeyId>` or `svc:<service>`; ids cannot contain ':'. */
export const usernameOf = (id: Identity): string =>
  id.kind === 'device' ? id.deviceId : id.kind === 'service' ? `svc:${id.service}` : `key:${id.key.id}`;

/**
 * A client id must be its username, or the username and ':' and anything: so no client can take over
 * another identity's session (Aedes, like MQTT 3.1.1 §3.1.4, disconnects the older client of an id).
 */
export function clientIdAllowed(identity: Identity, clientId: string): boolean {
  const user = usernameOf(identity);
  return clientId === user || clientId.startsWith(`${user}:`);
}

/**
 * `alerts` is a topic level of its own (`wl/v1/alerts/{countyId}`): a device with that id would read
 * every county's alerts under "its own" tree, so it gets no rights at all.
 */
const RESERVED_DEVICE_IDS: ReadonlySet<string> = new Set(['alerts']);

export function canPublish(identity: Identity, topic: string): boolean {
  switch (identity.kind) {
    case 'device':
      if (RESERVED_DEVICE_IDS.has(identity.deviceId)) return false;
      return topic === topics.telemetry(identity.deviceId);
    case 'service':
      if (identity.service === 'ingest') return isLevel3(topic, 'errors') || isAlertTopic(topic);
      // The API publishes acknowledgements as AlertEvents.
      return isAlertTopic(topic);
    case 'watcher':
      return false;
  }
}

export function canSubscribe(identity: Identity, filter: string): boolean {
  switch (identity.kind) {
    case 'device': {
      if (RESERVED_DEVICE_IDS.has(identity.deviceId)) return false;
      // Its own tree only, wildcards inside it allowed: wl/v1/{id}/#, wl/v1/{id}/errors, ...
      const own = `${TOPIC_ROOT}/${identity.deviceId}/`;
      return filter.startsWith(own) && filter.length > own.length;
    }
    case 'service':
      // Ingest also follows acknowledgements, to publish a clear together with the one made meanwhile.
      if (identity.service === 'ingest')
        return filter === topics.allTelemetry || isLevel3(filter, 'telemetry') || filter === topics.allAlerts;
      return filter === topics.allStatus || filter === topics.allAlerts || isLevel3(filter, 'status');
    case 'watcher':
      return watcherMaySubscribe(identity.key, filter);
  }
}

function watcherMaySubscribe(key: ApiKey, filter: string): boolean {
  if (filter === topics.allStatus || isLevel3(filter, 'status')) return true;
  const allCounties = key.role !== 'operator' || key.counties === undefined;
  if (filter === topics.allAlerts) return allCounties;
  const m = /^wl\/v1\/alerts\/([a-z0-9][a-z0-9-]{0,63})$/.exec(filter);
  if (!m) return false;
  return allCounties || (key.counties ?? []).includes(m[1]!);
}

const isAlertTopic = (topic: string) => /^wl\/v1\/alerts\/[a-z0-9][a-z0-9-]{0,63}$/.test(topic);

/** `wl/v1/{deviceId}/{leaf}` for one concrete device id. */
function isLevel3(topic: string, leaf: string): boolean {
  const m = /^wl\/v1\/([a-z0-9][a-z0-9-]{0,63})\/([a-z]+)$/.exec(topic);
  return m !== null && m[1] !== 'alerts' && m[2] === leaf;
}
