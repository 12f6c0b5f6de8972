import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';

/** An https server on 127.0.0.1 with a self-signed certificate made for this test run only. */
export interface ThrowawayTlsServer {
  /** `https://127.0.0.1:<port>`. */
  origin: string;
  /** The requests that reached the handler (a refused handshake never does). */
  readonly requests: number;
  /**
   * Runs `body` while this process's default trust store (Node's own, as NODE_EXTRA_CA_CERTS sets it)
   * also holds the server's certificate, and restores it afterwards. The client under test keeps its own
   * checks: it is given nothing.
   */
  trusted<T>(body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Answers every request with `status` and `body`, after `delayMs` once the request has arrived. */
export async function startThrowawayTlsServer(
  status: number,
  body: string,
  delayMs = 0,
): Promise<ThrowawayTlsServer> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  let requests = 0;
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      setTimeout(() => res.writeHead(status, { 'Content-Type': 'application/json' }).end(body), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    async trusted<T>(run: () => Promise<T>): Promise<T> {
      const before = tls.getCACertificates('default');
      tls.setDefaultCACertificates([...before, pems.cert]);
      try {
        return await run();
      } finally {
        tls.setDefaultCACertificates(before);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
