// /healthz, /readyz and /metrics for the daemon.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Daemon } from "./daemon.js";
import type { DaemonMetrics } from "./metrics.js";

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen must be HOST:PORT or :PORT, not ${listen}`);
  return { host: m[1] === "" ? "0.0.0.0" : (m[1] as string).replace(/^\[|\]$/g, ""), port: Number(m[2]) };
}

export async function startHttp(daemon: Daemon, metrics: DaemonMetrics, listen: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      const ok = daemon.healthy();
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(ok ? "ok\n" : "stuck: a run is taking longer than the deadline\n");
    } else if (path === "/readyz") {
      const ok = daemon.ready();
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(ok ? "ready\n" : "not ready: the last config load was not valid (or none yet)\n");
    } else if (path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  const { host, port } = parseListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return { server, url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}` };
}
