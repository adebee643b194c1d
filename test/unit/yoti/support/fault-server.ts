import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { verifyDigest } from '../../../../main/core/yoti/signing';

/**
 * Loopback servers for the Yoti client tests: an HTTP(S) server that records and verifies every
 * signed request, and a raw TCP server for faults HTTP servers cannot produce (half-written
 * answers, resets, silent TLS peers). All listen on 127.0.0.1, port 0.
 */

export const MOUNT = '/idverify/v1';
export const SDK_ID = 'b4a0a9c4-5d4c-4b8e-9f3a-2f1c6a7e8d90';
export const SESSION_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
export const MEDIA_ID = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';

const pem = readFileSync(new URL('../../../fixtures/keys/yoti-docs-test-vector.pem', import.meta.url), 'utf8');
export const privateKey: KeyObject = createPrivateKey(pem);
export const publicKey: KeyObject = createPublicKey(privateKey);

export interface SeenRequest {
  method: string;
  /** Raw request target as received. */
  url: string;
  /** Request target relative to the mount: what the client signed. */
  pathWithQuery: string;
  path: string;
  /** Query pairs in wire order. */
  query: Array<[string, string]>;
  headers: IncomingHttpHeaders;
  digest: string | undefined;
  digestValid: boolean;
  /** 1-based number of the connection it arrived on. */
  connection: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>;

export interface TestServer {
  baseUrl: string;
  port: number;
  requests: SeenRequest[];
  /** Connections accepted so far (TLS: handshakes completed). */
  readonly connections: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export const tlsFixture = {
  // Throwaway self-signed certificate for 127.0.0.1 / localhost (CA:TRUE, valid 2020–2120). Test use only.
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMjr3hCsSNCfhEI7e
5BmqlbBdNVqZftpkRMkLBpep4L6hRANCAAQeYdlqzQws450vRvmEmtIZPr80/XI5
NH18H2VNCtp7E/AdlmbJ47viniIwLhuL0fp5xArLACRUxwhvL2wERpMM
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBlzCCATygAwIBAgICEAAwCgYIKoZIzj0EAwIwKzEpMCcGA1UEAwwgSURWIFJl
dmlldyBDb25zb2xlIHRlc3QgbG9vcGJhY2swIBcNMjAwMTAxMDAwMDAwWhgPMjEy
MDAxMDEwMDAwMDBaMCsxKTAnBgNVBAMMIElEViBSZXZpZXcgQ29uc29sZSB0ZXN0
IGxvb3BiYWNrMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHmHZas0MLOOdL0b5
hJrSGT6/NP1yOTR9fB9lTQraexPwHZZmyeO74p4iMC4bi9H6ecQKywAkVMcIby9s
BEaTDKNOMEwwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MA8GA1UdEwEB/wQF
MAMBAf8wHQYDVR0OBBYEFNtSRGfdQhWZeejLJ5DWwoThPvqmMAoGCCqGSM49BAMC
A0kAMEYCIQDEv2xnz9K/ZKBVSCO7Tg+wuROmSU5SyjWKPLg69nxH6wIhAOD//XKb
TNW7o3LF+daThRaBEktzr2oIS6uBNdDzV5AE
-----END CERTIFICATE-----
`,
};

function splitQuery(search: string): Array<[string, string]> {
  if (search === '') return [];
  return search.split('&').map((pair) => {
    const i = pair.indexOf('=');
    return i < 0 ? [decodeURIComponent(pair), ''] : [decodeURIComponent(pair.slice(0, i)), decodeURIComponent(pair.slice(i + 1))];
  });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** An HTTP server (or HTTPS with `tls`) mounted at /idverify/v1 that verifies each request's signature. */
export async function startServer(handler: Handler, opts: { tls?: boolean } = {}): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const connectionIds = new WeakMap<net.Socket, number>();

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    const pathWithQuery = url.startsWith(MOUNT) ? url.slice(MOUNT.length) : url;
    const q = pathWithQuery.indexOf('?');
    const digest = typeof req.headers['x-yoti-auth-digest'] === 'string' ? req.headers['x-yoti-auth-digest'] : undefined;
    const seen: SeenRequest = {
      method: req.method ?? '',
      url,
      pathWithQuery,
      path: q < 0 ? pathWithQuery : pathWithQuery.slice(0, q),
      query: q < 0 ? [] : splitQuery(pathWithQuery.slice(q + 1)),
      headers: req.headers,
      digest,
      digestValid:
        digest !== undefined && url.startsWith(MOUNT) && verifyDigest({ method: req.method ?? '', pathWithQuery, digest, publicKey }),
      connection: connectionIds.get(req.socket) ?? 0,
    };
    requests.push(seen);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight--;
    });
    Promise.resolve(handler(req, res, seen)).catch((e: unknown) => {
      res.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  };

  const server = opts.tls
    ? https.createServer({ key: tlsFixture.key, cert: tlsFixture.cert }, onRequest)
    : http.createServer(onRequest);
  server.keepAliveTimeout = 30_000;
  server.on(opts.tls ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    connections++;
    connectionIds.set(socket, connections);
  });
  const port = await listen(server);
  return {
    baseUrl: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}${MOUNT}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawServer {
  baseUrl: string;
  httpsBaseUrl: string;
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

/** A TCP server that hands each accepted socket to `onSocket`; it speaks HTTP only if told to. */
export async function startRawServer(onSocket: (socket: net.Socket, index: number) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    connections++;
    onSocket(socket, connections);
  });
  const port = await listen(server);
  return {
    baseUrl: `http://127.0.0.1:${port}${MOUNT}`,
    httpsBaseUrl: `https://127.0.0.1:${port}${MOUNT}`,
    port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Calls back once the raw socket has received a complete request head. */
export function onRequestHead(socket: net.Socket, then: (head: string) => void): void {
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('latin1');
    if (buffered.includes('\r\n\r\n')) {
      socket.off('data', onData);
      then(buffered);
    }
  };
  socket.on('data', onData);
}

export const bytes = {
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  pdf: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
  json: Buffer.from('{"full_name":"Test Person","date_of_birth":"1990-01-01"}'),
  html: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
};
