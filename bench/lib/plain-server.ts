import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveOnLoopback } from '../../main/browser-bridge/loopback-server';

/**
 * The comparison for the renderer benchmark: a tiny static server on 127.0.0.1 that serves an empty
 * page and image files from a folder, read from disk on every request (as a plain web server does),
 * with no-store so that the browser fetches them again on every round, like the app's media protocol.
 */
export interface PlainServer {
  origin: string;
  /** `${origin}/files/<name>` */
  fileUrl(name: string, round: number): string;
  pageUrl(round: number): string;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>plain</title></head><body style="margin:0"></body></html>';
const NAME = /^[a-z0-9-]{1,64}\.(jpg|png)$/;

export async function startPlainServer(dir: string): Promise<PlainServer> {
  const server = await serveOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/plain.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(PAGE);
      return;
    }
    const name = url.pathname.startsWith('/files/') ? url.pathname.slice('/files/'.length) : '';
    if (!NAME.test(name)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const bytes = await readFile(join(dir, name));
    res.writeHead(200, {
      'Content-Type': name.endsWith('.png') ? 'image/png' : 'image/jpeg',
      'Content-Length': String(bytes.length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(bytes);
  });
  const { origin } = server;
  return {
    origin,
    fileUrl: (name, round) => `${origin}/files/${name}?r=${round}`,
    pageUrl: (round) => `${origin}/plain.html?r=${round}`,
    close: () => server.close(),
  };
}
