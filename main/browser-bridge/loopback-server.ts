import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * An http server on 127.0.0.1 at a free port, for the browser bridge and the benchmark's plain page.
 * `handle` answers each request; if it throws, the request gets a bare 500 (never the error).
 */
export async function serveOnLoopback(handle: (req: IncomingMessage, res: ServerResponse, port: number) => Promise<void>): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    handle(req, res, (server.address() as AddressInfo).port).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
