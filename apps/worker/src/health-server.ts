import http from 'node:http';
import type { Registry } from 'prom-client';
import type { JobQueue } from '@earshot/jobs';
import { workerHealth, type Logger } from '@earshot/runtime';

/**
 * The worker's own little HTTP server (docs/architecture.md, "Operations contracts": `:3001/health`): `/health` in the exact
 * shape given there (503 when unhealthy) and `/metrics` for Prometheus.
 */
export function startHealthServer(options: {
  port: number;
  host: string;
  jobs: JobQueue;
  metrics: Registry;
  logger: Logger;
}): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(
          res,
          405,
          'application/json',
          JSON.stringify({ error: { code: 'method_not_allowed', message: 'Only GET' } }),
        );
      if (url === '/health') {
        const report = await workerHealth(options.jobs);
        return send(res, report.status === 'healthy' ? 200 : 503, 'application/json', JSON.stringify(report));
      }
      if (url === '/metrics') return send(res, 200, options.metrics.contentType, await options.metrics.metrics());
      return send(
        res,
        404,
        'application/json',
        JSON.stringify({ error: { code: 'not_found', message: `No route for ${req.method} ${url}` } }),
      );
    } catch (err) {
      options.logger.error({ err }, 'health server request failed');
      return send(
        res,
        503,
        'application/json',
        JSON.stringify({ status: 'unhealthy', queues: {}, error: (err as Error).message }),
      );
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}
