/** MQTT over WebSocket, for gateways and browsers: each connection becomes a stream for the broker. */
import { createServer, type Server } from 'node:http';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { WaterlineBroker } from './create-broker.js';
import { type Listening, serve, tuneSocket } from './listen.js';
import { MAX_PACKET_BYTES } from './packet-guard.js';

// MQTT 3.1.1 §6.0: the client offers the "mqtt" sub-protocol; "mqttv3.1" is what MQTT 3.1 clients send.
const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

export async function listenWebSocket(
  broker: WaterlineBroker,
  port: number,
  host: string,
): Promise<Listening> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
    res.end('MQTT over WebSocket: connect with a WebSocket client and the "mqtt" sub-protocol\n');
  });
  const wss = new WebSocketServer({
    server: http,
    // One MQTT packet may span frames, but no frame needs to be larger than the largest packet.
    maxPayload: MAX_PACKET_BYTES,
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  wss.on('connection', (ws, req) => {
    tuneSocket(req.socket);
    const stream = createWebSocketStream(ws);
    // A closed peer surfaces as a stream error; Aedes handles it once it owns the stream.
    stream.on('error', () => undefined);
    broker.accept(stream, req);
  });
  const listening = await serve(http, port, host);
  return {
    ...listening,
    close: () => {
      wss.close();
      return listening.close();
    },
  };
}
