import { once } from 'node:events';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';

/** The Stately inspector UI that the relay page embeds. */
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

/** The only address the relay listens on. */
export const LOOPBACK = '127.0.0.1';

export interface RelaySettings {
  /** Port on 127.0.0.1; 0 lets the OS pick a free one. */
  readonly port: number;
  /** Frames kept for pages that connect later. */
  readonly bufferSize: number;
}

/**
 * A local relay between this process and the Stately inspector UI in a browser: an HTTP page that
 * embeds the UI and a WebSocket that streams inspection frames to it (and to any other local
 * WebSocket client, e.g. a test or a script).
 *
 * It plays the part of `createInspectorServer` from `@statelyai/inspect/server` (0.7.2), which cannot
 * be used as is: it has no host option and listens on every interface, opens a browser with a shell
 * command unless told not to, crashes the process on EADDRINUSE (no error listener), needs a fixed
 * port because its page embeds the number, and its `stop()` leaves connected clients' sockets open.
 * The page protocol is the same: frames are replayed to late joiners and posted into the iframe
 * once it says `@statelyai.connected`.
 *
 * Only this process publishes: frames that clients send are ignored. Requests whose Host is not
 * the loopback address (DNS rebinding) and WebSocket upgrades from a foreign web page (Origin) are
 * refused, because any site open in the user's browser can try to reach a localhost port.
 */
export class InspectorRelay {
  readonly #http: http.Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  readonly #buffer: string[] = [];
  readonly #bufferSize: number;
  #port = 0;
  #stopped: Promise<void> | undefined;

  private constructor(Server: typeof WebSocketServer, bufferSize: number) {
    this.#bufferSize = bufferSize;
    this.#http = http.createServer((req, res) => this.#serve(req, res));
    this.#wss = new Server({ noServer: true });
    this.#http.on('upgrade', (req, socket, head) => this.#upgrade(req, socket as Socket, head));
    this.#http.on('connection', (socket) => {
      // The relay is never what keeps the user's process alive, even with a browser tab open.
      socket.unref();
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1. Rejects (e.g. EADDRINUSE) instead of crashing the process. */
  static async start(Server: typeof WebSocketServer, settings: RelaySettings): Promise<InspectorRelay> {
    const relay = new InspectorRelay(Server, settings.bufferSize);
    const listening = once(relay.#http, 'listening');
    relay.#http.listen({ host: LOOPBACK, port: settings.port, exclusive: true });
    await listening; // `once` rejects if 'error' comes first
    relay.#http.unref();
    relay.#port = (relay.#http.address() as { port: number }).port;
    return relay;
  }

  get port(): number {
    return this.#port;
  }

  /** The page to open in a browser. */
  get url(): string {
    return `http://${LOOPBACK}:${this.#port}/`;
  }

  /** Where WebSocket clients receive the frames. */
  get webSocketUrl(): string {
    return `ws://${LOOPBACK}:${this.#port}`;
  }

  /** Sends one serialized frame to every connected client and keeps it for later ones. */
  publish(frame: string): void {
    if (this.#stopped) return;
    this.#buffer.push(frame);
    if (this.#buffer.length > this.#bufferSize) this.#buffer.shift();
    for (const client of this.#wss.clients) {
      if (client.readyState === client.OPEN) client.send(frame);
    }
  }

  /** Closes every client and socket and the listener. Idempotent; resolves when all is closed. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    const closed = once(this.#http, 'close');
    this.#http.close();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #isLocal(host: string | undefined): boolean {
    return host === `${LOOPBACK}:${this.#port}` || host === `localhost:${this.#port}`;
  }

  #serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.#isLocal(req.headers.host)) {
      res.writeHead(403).end();
      return;
    }
    if (req.method !== 'GET' || (req.url !== '/' && req.url !== '/index.html')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(RELAY_PAGE);
  }

  #upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const origin = req.headers.origin;
    // Scripts and tests send no Origin; a browser does, and only the relay's own page may connect.
    const originOk = origin === undefined || this.#isLocal(origin.replace(/^http:\/\//, ''));
    if (this.#stopped || !this.#isLocal(req.headers.host) || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (client: WebSocket) => {
      client.on('error', () => client.terminate());
      for (const frame of this.#buffer) client.send(frame);
    });
  }
}

// The bridge page: the Stately UI in an iframe, fed with the frames from this relay. Same handshake
// as @statelyai/inspect's own server page (MIT): buffer until the UI posts `@statelyai.connected`.
const RELAY_PAGE = `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>reconnecting-memcached: Stately inspector</title>
  <style>* { margin: 0; padding: 0; } html, body { height: 100%; } iframe { width: 100%; height: 100%; border: none; }</style>
</head>
<body>
  <iframe id="inspector" src="${STATELY_INSPECTOR_URL}"></iframe>
  <script>
    const iframe = document.getElementById('inspector');
    const pending = [];
    let connected = false;
    window.addEventListener('message', (e) => {
      if (e.data && e.data.type === '@statelyai.connected') {
        connected = true;
        for (const frame of pending) iframe.contentWindow.postMessage(frame, '*');
        pending.length = 0;
      }
    });
    const ws = new WebSocket('ws://' + location.host);
    ws.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (connected) iframe.contentWindow.postMessage(frame, '*');
      else pending.push(frame);
    };
  </script>
</body>
</html>`;
