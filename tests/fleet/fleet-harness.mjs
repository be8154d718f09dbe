// A fleet on loopback: a real redis-server, shim instances sharing it (one
// session key, --session-store redis://...) and nginx round-robin in front
// with no stickiness and no retry on another instance, so that consecutive
// requests of one client land on different instances.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { startFixture, startShim } from '../integration/harness.mjs';

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export async function freePort() {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address();
    server.close();
    await once(server, 'close');
    return port;
}

async function waitForPort(port, what, ms = 10000) {
    const { createConnection } = await import('node:net');
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        const up = await new Promise(resolve => {
            const socket = createConnection({ host: '127.0.0.1', port }, () => {
                socket.destroy();
                resolve(true);
            });
            socket.on('error', () => resolve(false));
        });
        if (up) return;
        await sleep(25);
    }
    throw new Error(`${what} did not listen on ${port}`);
}

// redis-server on a port of its own, nothing saved; stop() and start() again keep the port.
export async function startRedis() {
    const port = await freePort();
    let child;
    const redis = {
        port,
        url: `redis://127.0.0.1:${port}/0`,
        async start() {
            child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
                stdio: 'ignore'
            });
            await waitForPort(port, 'redis-server');
        },
        async stop() {
            if (!child || child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGKILL');
            await once(child, 'exit');
        }
    };
    await redis.start();
    return redis;
}

// nginx in front of `backends` (URLs), round-robin, one worker so the rotation is strict.
export async function startNginx(backends) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpshim-fleet-nginx-'));
    const port = await freePort();
    const servers = backends.map(url => `        server ${new URL(url).host};`).join('\n');
    writeFileSync(
        path.join(dir, 'nginx.conf'),
        `worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    upstream shims {
${servers}
        keepalive 32;
    }
    server {
        listen 127.0.0.1:${port};
        location / {
            proxy_pass http://shims;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 300s;
            proxy_next_upstream off;
        }
    }
}
`
    );
    const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    await waitForPort(port, 'nginx');
    return {
        url: `http://127.0.0.1:${port}`,
        async stop() {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGTERM');
                await once(child, 'exit');
            }
            rmSync(dir, { recursive: true, force: true });
        }
    };
}

// Redis, `upstreams` modern fixture servers, `count` shims sharing the store, and nginx.
export async function startFleet(t, { count = 3, upstreams = 2, shimArgs = [], redisDown = false } = {}) {
    const stops = [];
    t.after(async () => {
        for (const stop of stops.reverse()) await stop();
    });
    const redis = await startRedis();
    stops.push(() => redis.stop());
    if (redisDown) await redis.stop();
    // Two instances of one modern deployment: one requestState key, so an
    // input round's retry may land on either.
    const stateKey = randomBytes(32).toString('hex');
    const fixtures = [];
    for (const name of ['fleet-a', 'fleet-b'].slice(0, upstreams)) {
        const fixture = await startFixture(name, ['--state-key', stateKey]);
        stops.push(() => fixture.stop());
        fixtures.push(fixture);
    }
    const env = { MCPSHIM_SESSION_KEY: randomBytes(32).toString('hex') };
    const args = ['--session-store', redis.url, '--redis-retry-ms', '200', ...shimArgs];
    const shims = [];
    const startOne = async () => {
        const shim = await startShim(fixtures.map(f => f.url), args, env);
        stops.push(async () => {
            await shim.stop();
            // Under the sanitizer build a report is a failure, whatever the test saw.
            const report = shim.logs().match(/(AddressSanitizer|LeakSanitizer|runtime error:).*/);
            if (report) throw new Error(`sanitizer report from a shim: ${report[0]}`);
        });
        return shim;
    };
    for (let i = 0; i < count; i++) shims.push(await startOne());
    const nginx = await startNginx(shims.map(s => s.url));
    stops.push(() => nginx.stop());
    return { redis, fixtures, shims, nginx, url: `${nginx.url}/mcp`, startOne };
}

// How many requests with this rpc each shim logged.
export function servedBy(shims, rpc) {
    return shims.map(shim => shim.logs().split('\n').filter(line => line.includes(`rpc=${rpc}`)).length);
}
