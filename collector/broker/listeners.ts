// Where the embedded broker listens: MQTT over TCP (or TLS with a key and certificate), and
// optionally MQTT over WebSocket (for gateways behind proxies that pass only HTTP). Every
// connection goes through the packet size guard before aedes sees it.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { listen } from '../listen.js';
import { guardPacketSize } from './packet-size-guard.js';

export interface ListenerOptions {
  host: string;
  port: number;
  /** Also accept MQTT over WebSocket on this port (path /mqtt or any). */
  wsPort?: number;
  tls?: { key: Buffer; cert: Buffer };
  maxPacketBytes: number;
  onOversize(remote: string | undefined, announced: number): void;
}

export interface Listeners {
  url: string;
  wsUrl: string | null;
  close(): Promise<void>;
}

export async function startListeners(broker: Aedes, options: ListenerOptions): Promise<Listeners> {
  const admit = (stream: Duplex, remote: string | undefined, request?: http.IncomingMessage) => {
    guardPacketSize(stream, options.maxPacketBytes, (announced) => options.onOversize(remote, announced));
    broker.handle(stream, request);
  };
  const mqttServer = options.tls
    ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, (s) => admit(s, s.remoteAddress))
    : net.createServer((s) => admit(s, s.remoteAddress));
  const closers: (() => Promise<void>)[] = [];
  try {
    const address = await listen(mqttServer, options.host, options.port, 'MQTT');
    closers.push(closer(mqttServer));
    let wsUrl: string | null = null;
    if (options.wsPort !== undefined) {
      const httpServer = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }) : http.createServer();
      // MQTT over WebSocket carries one MQTT packet stream in binary frames (MQTT 3.1.1 §6).
      const wss = new WebSocketServer({ server: httpServer, maxPayload: options.maxPacketBytes });
      wss.on('connection', (socket, request) => admit(createWebSocketStream(socket), request.socket.remoteAddress, request));
      const wsAddress = await listen(httpServer, options.host, options.wsPort, 'WebSocket');
      closers.push(async () => {
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      }, closer(httpServer));
      wsUrl = `${options.tls ? 'wss' : 'ws'}://${wsAddress.host}:${wsAddress.port}/mqtt`;
    }
    return {
      url: `${options.tls ? 'mqtts' : 'mqtt'}://${address.host}:${address.port}`,
      wsUrl,
      close: async () => {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close();
    throw error;
  }
}

/**
 * Closes a server; sockets still open (e.g. a TLS handshake that never finishes) would hold
 * server.close() until their own timeouts, so they are destroyed.
 */
function closer(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return closed;
  };
}
