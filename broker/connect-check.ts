/** CONNECT packets the parser lets through but MQTT 3.1.1 forbids: refused before authentication. */

interface ConnectFields {
  protocolId?: string;
  protocolVersion?: number;
  bridgeMode?: boolean;
  will?: { qos?: number; topic?: string } | null;
}

/** The problem with a CONNECT, or null when it is one MQTT 3.1.1 (or 3.1) allows. */
export function connectProblem(packet: ConnectFields): string | null {
  // [MQTT-3.1.2-1] the protocol name for level 4 is "MQTT"; MQTT 3.1 (level 3) used "MQIsdp".
  if (packet.protocolId === 'MQTT' && packet.protocolVersion === 3)
    return 'protocol name "MQTT" with level 3 (MQTT 3.1 is "MQIsdp")';
  if (packet.protocolId === 'MQIsdp' && packet.protocolVersion !== 3)
    return `protocol name "MQIsdp" with level ${packet.protocolVersion}`;
  if (packet.bridgeMode) return 'bridge mode is not supported';
  const qos = packet.will?.qos;
  // [MQTT-3.1.2-14] a will QoS of 3 is a protocol violation: such a will could never be delivered,
  // and queued for a persistent subscriber it would block that session.
  if (qos !== undefined && (qos < 0 || qos > 2)) return `will QoS ${qos} (at most 2)`;
  return null;
}
